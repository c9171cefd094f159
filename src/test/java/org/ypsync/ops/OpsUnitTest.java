package org.ypsync.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.ypsync.moodle.MoodleClient;
import org.ypsync.moodle.MoodleTransport.Reply;

/** The small pure pieces: progress steps, cron freshness, endpoint names, Moodle call outcomes, config, tables. */
class OpsUnitTest {
    private static final TimeZone PARIS = TimeZone.getTimeZone("Europe/Paris");

    /** check and the health check ask Moodle for the functions of the stages that run, the courses stage's too. */
    @Test
    void theNeededMoodleFunctionsFollowTheCoursesStage() {
        java.util.function.Function<Map<String, String>, java.util.Set<String>> needed =
                m -> Check.neededFunctions(new Settings(k -> java.util.Optional.ofNullable(m.get(k))));
        assertEquals(MoodleClient.FUNCTIONS, needed.apply(Map.of()));
        assertEquals(MoodleClient.FUNCTIONS, needed.apply(Map.of("sync.courses.enabled", "false",
                "sync.courses.template-shortname", "TPL")));
        java.util.Set<String> courses = needed.apply(Map.of("sync.courses.enabled", "true",
                "sync.courses.template-shortname", " "));
        assertTrue(courses.containsAll(MoodleClient.FUNCTIONS) && courses.containsAll(MoodleClient.COURSE_FUNCTIONS),
                courses.toString());
        assertFalse(courses.contains(MoodleClient.DUPLICATE_COURSE), "no template course, no copy");
        assertTrue(needed.apply(Map.of("sync.courses.enabled", "true", "sync.courses.template-shortname", "TPL"))
                .contains(MoodleClient.DUPLICATE_COURSE));
    }

    @Test
    void progressEveryTenthOfAKnownTotalAndEveryThousandOtherwise() {
        assertTrue(Progress.due(0, 100, 1000));
        assertFalse(Progress.due(0, 50, 100), "a short stage has no progress lines");
        assertFalse(Progress.due(100, 150, 1000));
        assertTrue(Progress.due(150, 420, 1000), "30 % and 40 % crossed in one batch: one line");
        assertFalse(Progress.due(900, 1000, 1000), "100 % is the summary's job");
        assertFalse(Progress.due(0, 999, 0));
        assertTrue(Progress.due(999, 1000, 0));
        assertTrue(Progress.due(500, 2500, 0));
        assertFalse(Progress.due(1000, 1999, 0));
        assertEquals("  users: 40 % (2,000 of 5,000 records done)", Progress.line("users", 2000, 5000, "done"));
        assertEquals("  cache: 3,000 records read", Progress.line("cache", 3000, 0, "read"));
    }

    @Test
    void aStageIsLateOnceItsScheduleFiredTwiceSinceItsLastRun() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        Instant monday = LocalDateTime.of(2026, 11, 23, 1, 0, 5).atZone(paris).toInstant();
        assertEquals(Duration.ofDays(1), Freshness.interval("0 0 1 * * ?", monday, PARIS));
        assertTrue(Freshness.late("0 0 1 * * ?", monday, monday.plus(Duration.ofHours(48)), PARIS).isEmpty(),
                "within the grace after the second fire");
        String late = Freshness.late("0 0 1 * * ?", monday, monday.plus(Duration.ofHours(50)), PARIS).orElseThrow();
        assertTrue(late.contains("50 hours ago") && late.contains("2026-11-24 01:00 and 2026-11-25 01:00"), late);
        // every 15 minutes: late after about 30
        assertTrue(Freshness.late("0 0/15 * * * ?", monday, monday.plus(Duration.ofMinutes(29)), PARIS).isEmpty());
        assertTrue(Freshness.late("0 0/15 * * * ?", monday, monday.plus(Duration.ofMinutes(35)), PARIS).isPresent());
        // weekdays only: a Friday run is not late over the weekend, it is on Tuesday
        Instant friday = LocalDateTime.of(2026, 11, 27, 1, 0, 5).atZone(paris).toInstant();
        Instant mondayNoon = LocalDateTime.of(2026, 11, 30, 12, 0).atZone(paris).toInstant();
        Instant tuesdayLate = LocalDateTime.of(2026, 12, 1, 3, 0).atZone(paris).toInstant();
        assertTrue(Freshness.late("0 0 1 ? * MON-FRI", friday, mondayNoon, PARIS).isEmpty());
        assertTrue(Freshness.late("0 0 1 ? * MON-FRI", friday, tuesdayLate, PARIS).isPresent());
    }

    @Test
    void netypareoPathsAreNamedByTheirEndpoint() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("students", "utilisateur/apprenants");
        t.put("diploma-groups", "formation-longue/groupes?codesPeriode={period}");
        t.put("fc-groups", "formation-courte/{from}/{to}/groupes");
        t.put("group-members", "groupes/{group}/apprenants");
        EndpointNames names = new EndpointNames(t);
        assertEquals("students", names.name("utilisateur/apprenants"));
        assertEquals("diploma-groups", names.name("formation-longue/groupes?codesPeriode=12"));
        assertEquals("fc-groups", names.name("formation-courte/01-10-2026/30-11-2027/groupes"));
        assertEquals("group-members", names.name("/groupes/4711/apprenants"));
        assertEquals("other", names.name("groupes/4711/apprenants/extra"));
    }

    @Test
    void moodleCallsAreLabelledByFunctionAndOutcomeWithoutReadingTheToken() {
        String body = "wstoken=abcdef0123456789&wsfunction=core_user_create_users&moodlewsrestformat=json";
        assertEquals("core_user_create_users", ObservedMoodleTransport.function(body));
        assertEquals("unknown", ObservedMoodleTransport.function("wstoken=x"));
        assertEquals("ok", ObservedMoodleTransport.outcome(new Reply(200, "[{\"id\":3}]")));
        assertEquals("moodle_invalidtoken", ObservedMoodleTransport.outcome(new Reply(200,
                "{\"exception\":\"moodle_exception\",\"errorcode\":\"invalidtoken\",\"message\":\"Invalid token\"}")));
        assertEquals("http_503", ObservedMoodleTransport.outcome(new Reply(503, "<html>maintenance</html>")));
    }

    @Test
    void configIsTheFileThenTheEnvironmentThenSystemPropertiesThenOverrides() {
        Properties file = new Properties();
        file.setProperty("ypsync.store.url", "jdbc:h2:file:./data/ypsync");
        file.setProperty("moodle.token", "change-me");
        file.setProperty("a.b", "file");
        Properties sys = new Properties();
        sys.setProperty("a.c", "sys");
        LightConfig c = new LightConfig(file, Map.of("MOODLE_TOKEN", "env-token-123456", "A_C", "env", "A_D_E", "env"),
                sys, Map.of("a.f", "override"));
        assertEquals("env-token-123456", c.get("moodle.token").orElseThrow());
        assertEquals("file", c.get("a.b").orElseThrow());
        assertEquals("sys", c.get("a.c").orElseThrow());
        assertEquals("env", c.get("a.d-e").orElseThrow());
        assertEquals("override", c.get("a.f").orElseThrow());
        assertEquals("****", Secrets.mask("env-token-123456"), "the token from the environment is a secret");
    }

    @Test
    void storeUrlsAreShownWithoutCredentials() {
        assertEquals("jdbc:postgresql://db:5432/ypsync?user=****&password=****",
                OpsCommands.safeUrl("jdbc:postgresql://db:5432/ypsync?user=app&password=s3cret"));
        assertEquals("jdbc:postgresql://db/ypsync", OpsCommands.safeUrl("jdbc:postgresql://app:s3cret@db/ypsync"));
        assertEquals("jdbc:h2:file:./data/ypsync;AUTO_SERVER=TRUE",
                OpsCommands.safeUrl("jdbc:h2:file:./data/ypsync;AUTO_SERVER=TRUE"));
    }

    @Test
    void tablesAlignTextLeftAndNumbersRight() {
        String t = new TextTable("stage", "read", "outcome").row("cache", 96, "OK").row("site-cohorts", 4, "FAILED")
                .toString();
        assertEquals("""
                stage         read  outcome
                cache           96  OK
                site-cohorts     4  FAILED
                """, t);
    }
}
