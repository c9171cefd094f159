package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.BeanInject;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ypsync.Launcher;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.moodle.emulator.MoodleUser;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.ops.Check;
import org.ypsync.sync.FieldKeeping.FieldState;
import org.ypsync.sync.UserFields;

/**
 * Issue 13 end to end, on a stock Moodle (no user profile field): a field Moodle silently drops or changes is said
 * once and never rewritten forever; once the field exists (and is tried again) it is filled for everybody, then
 * nothing is written again. Also a site that lower-cases e-mails, and what {@code check} says.
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false"})
@ScenarioExtension.Scenario(profileField = false)
class FieldKeepingScenarioTest implements ScenarioExtension.InScenario {
    static final String FIELD = ScenarioWorld.USER_TYPE_FIELD;
    static final String MISSING = "User profile field 'netypareo_usertype' does not exist in Moodle: create it (Site "
            + "administration > Users > User profile fields) or set sync.users.usertype-field to blank";

    private final ScenarioWorld world;

    FieldKeepingScenarioTest(ScenarioWorld world) {
        this.world = world;
    }

    @BeanInject("check")
    Check check;

    @BeforeEach
    void fresh() throws Exception {
        world.moodle().removeProfileField(FIELD);
        world.moodle().lowerCaseEmails(false);
    }

    private long said(String line) {
        // the line itself; the stage's summary line repeats it after "warning: "
        return world.reportLines().stream().filter(l -> l.startsWith(line)).count();
    }

    private void userStages() {
        world.ok("users", "tutors");
    }

    /** Accounts ypsync manages whose profile field does not hold their NetYpareo type. */
    private List<String> withoutTheirType() {
        ExpectedMoodle e = world.expected();
        List<String> out = new ArrayList<>();
        for (ExpectedMoodle.Person p : e.sureActive()) {
            MoodleUser u = world.userByIdnumber(p.idnumber());
            if (!p.type().equals(u.customfields().get(FIELD))) {
                out.add(p.idnumber() + "=" + u.customfields().get(FIELD));
            }
        }
        return out;
    }

    private String check() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        check.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMissingProfileFieldIsSaidOnceThenTheUnchangedRunsWriteNothing() {
        assertTrue(check().contains("[INFO] Moodle user profile field 'netypareo_usertype': not known yet"),
                "before the first run nobody holds it yet");
        world.ok("cache", "site-cohorts", "users", "tutors");
        assertEquals(1, said(MISSING), "said once, plainly: " + world.reportLines());
        assertTrue(world.store().runs().last("users").orElseThrow().message().contains("warning: " + MISSING),
                "and kept in the run history");
        FieldState state = world.store().fieldStates().all().get(UserFields.custom(FIELD));
        assertFalse(state.kept());
        // everything else is synced
        world.assertUsersMatch(world.expected(), java.util.Set.of());

        for (int run = 0; run < 3; run++) {
            world.moodle().resetCounters();
            world.clearReport();
            world.ok("cache", "site-cohorts", "users", "tutors");
            assertEquals(0, world.writes(), "run " + run + " rewrote: " + world.writesByFunction());
            assertEquals(0, said(MISSING), "not said again");
        }
        String report = check();
        assertTrue(report.contains("[WARN] User profile field 'netypareo_usertype' does not exist in Moodle (none of "
                + "the "), report);
        assertTrue(report.contains("tries again every 24 h (sync.users.field-recheck-hours)"), report);
        assertTrue(report.contains("check: everything is fine"), "an informative line, not a failure: " + report);
    }

    @Test
    void onceTheFieldIsCreatedTheNextTryFillsItForEverybodyThenNothingIsWrittenAgain() {
        world.ok("cache", "site-cohorts", "users", "tutors");
        world.moodle().profileField(FIELD);
        world.moodle().resetCounters();
        userStages();
        assertEquals(0, world.writes(), "not tried again before sync.users.field-recheck-hours: "
                + world.writesByFunction());

        // what `run users --recheck-fields` (or JMX recheckMoodleFields) asks for
        assertEquals(1, world.store().fieldStates().requestRecheck());
        world.clearReport();
        userStages();
        assertEquals(List.of(), withoutTheirType());
        assertTrue(world.reportLines().stream().anyMatch(l -> l.startsWith(
                "User profile field 'netypareo_usertype' is kept by Moodle again: written for the ")),
                        world.reportLines().toString());
        assertTrue(world.store().fieldStates().all().get(UserFields.custom(FIELD)).kept());
        // one tried person, then one batch for the users stage and one for the tutors stage
        assertEquals(3, world.moodle().calls("core_user_update_users"), world.writesByFunction());
        assertTrue(check().contains("[ OK ] Moodle user profile field 'netypareo_usertype' exists: "));

        world.moodle().resetCounters();
        world.ok("cache", "site-cohorts", "users", "tutors");
        assertEquals(0, world.writes(), world.writesByFunction());
    }

    @Test
    void aProfileFieldDeletedByHandIsRewrittenOnceThenLeftAlone() {
        world.moodle().profileField(FIELD);
        world.ok("cache", "site-cohorts", "users", "tutors");
        assertEquals(List.of(), withoutTheirType());

        world.moodle().removeProfileField(FIELD);
        world.moodle().resetCounters();
        world.clearReport();
        // drift repair sees every value gone: the users stage writes them back once and reads back that none stuck,
        // so the field is not kept and the tutors stage leaves it alone
        userStages();
        assertEquals(1, world.moodle().calls("core_user_update_users"), world.writesByFunction());
        assertEquals(1, said(MISSING), world.reportLines().toString());

        for (int run = 0; run < 2; run++) {
            world.moodle().resetCounters();
            userStages();
            assertEquals(0, world.writes(), world.writesByFunction());
        }
    }

    @Test
    void aSiteThatLowerCasesEmailsKeepsItsValuesAndIsSaidOnce() {
        world.moodle().lowerCaseEmails(true);
        world.ok("cache", "site-cohorts", "users", "tutors");
        world.moodle().resetCounters();
        List<StudentAccount> students = world.data(DemoEnvironment.FIRST).students().stream()
                .filter(s -> world.expected().sureActive().stream()
                        .anyMatch(p -> p.idnumber().equals(String.valueOf(s.code())) && p.type().equals("student")))
                .limit(4).toList();
        for (StudentAccount s : students) {
            world.data(DemoEnvironment.FIRST).setStudentEmail(s.code(),
                    "Prenom.Nom" + s.code() + "@Example.ORG");
        }
        world.clearReport();
        world.ok("cache");
        userStages();
        assertEquals(1, world.moodle().calls("core_user_update_users"), "NetYpareo's change is written once: "
                + world.writesByFunction());
        for (StudentAccount s : students) {
            assertEquals("prenom.nom" + s.code() + "@example.org",
                    world.userByIdnumber(String.valueOf(s.code())).email());
        }
        assertEquals(1, said("Moodle does not keep the email ypsync writes (sent 'Prenom.Nom"),
                world.reportLines().toString());

        for (int run = 0; run < 2; run++) {
            world.moodle().resetCounters();
            world.ok("cache");
            userStages();
            assertEquals(0, world.writes(), "run " + run + " rewrote: " + world.writesByFunction());
        }
        assertTrue(check().contains("[WARN] Moodle does not keep the email ypsync writes (4 writes did not stick"),
                check());
    }

    @Test
    void oneNormalisedValueIsHeldWithoutAWarning() {
        world.moodle().lowerCaseEmails(true);
        world.moodle().profileField(FIELD);
        world.ok("cache", "site-cohorts", "users", "tutors");
        StudentAccount s = world.data(DemoEnvironment.FIRST).students().stream()
                .filter(x -> world.expected().sureActive().stream()
                        .anyMatch(p -> p.idnumber().equals(String.valueOf(x.code())) && p.type().equals("student")))
                .findFirst().orElseThrow();
        world.data(DemoEnvironment.FIRST).setStudentEmail(s.code(), "Jo.Capital@Example.org");
        world.clearReport();
        world.ok("cache");
        userStages();
        assertEquals(1, world.moodle().calls("core_user_update_users"), world.writesByFunction());
        assertEquals(0, said("Moodle does not keep"), "below sync.users.unkept-field-threshold: not a site-wide "
                + "finding");
        world.moodle().resetCounters();
        userStages();
        assertEquals(0, world.writes(), "but the person's value is held, not rewritten: " + world.writesByFunction());
        // a hand edit of that e-mail is still repaired
        MoodleUser u = world.userByIdnumber(String.valueOf(s.code()));
        world.moodle().editUser(u.id(), x -> x.withEmail("by.hand@example.org"));
        userStages();
        assertEquals("jo.capital@example.org", world.userByIdnumber(String.valueOf(s.code())).email());
    }
}
