package org.ypsync.moodle;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ypsync.moodle.emulator.MoodleEmulator;
import org.ypsync.moodle.emulator.MoodleUser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against the Moodle emulator over real HTTP (the route direct:moodle-call and moodleHttp to com.sun.net.httpserver). */
class MoodleClientHttpTest {

    MoodleEmulator moodle;

    @BeforeEach
    void start() {
        moodle = new MoodleEmulator().start();
    }

    @AfterEach
    void stop() {
        moodle.close();
    }

    MoodleSettings settings() {
        return MoodleSettings.of(moodle.url(), moodle.token())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .withRetry(4, Duration.ofMillis(20), 2.0, Duration.ofMillis(100));
    }

    MoodleClient client() {
        return MoodleRoute.client(settings());
    }

    static Map<String, Object> user(int i) {
        Map<String, Object> u = MoodleClientTest.user(i);
        return u;
    }

    static List<Map<String, Object>> users(int from, int n) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(user(i));
        }
        return out;
    }

    long createdUsers() {
        return moodle.users().stream().filter(u -> u.username().startsWith("user")).count();
    }

    // ------------------------------------------------------------------ error classes

    @Test
    void siteInfoAndPreflight() {
        MoodleClient c = client();
        SiteInfo info = c.siteInfo();
        assertEquals("4.4.3+ (Build: 20240903)", info.release());
        assertTrue(info.functions().containsAll(MoodleClient.FUNCTIONS));
        PreflightReport ok = MoodlePreflight.check(c, MoodleClient.FUNCTIONS);
        assertTrue(ok.ok(), ok.toString());

        moodle.removeServiceFunction("core_cohort_get_cohort_members");
        PreflightReport missing = MoodlePreflight.check(c, MoodleClient.FUNCTIONS);
        assertFalse(missing.ok());
        assertEquals(Set.of("core_cohort_get_cohort_members"), missing.missingFunctions());
    }

    @Test
    void badTokenIsFatalAndNeverSentTwice() {
        MoodleClient c = MoodleRoute.client(MoodleSettings.of(moodle.url(), "0123456789abcdef0123456789abcdef"));
        PreflightReport r = MoodlePreflight.check(c, MoodleClient.FUNCTIONS);
        assertEquals("invalidtoken", r.errorcode());
        assertThrows(MoodleFatalException.class, () -> c.createUsers(users(0, 5)));
        assertThrows(MoodleFatalException.class, c::getCohorts);
        assertEquals(1, moodle.totalCalls(), "one call, then the client refuses");
        assertEquals(0, createdUsers());
    }

    @Test
    void functionOutsideTheServiceIsFatal() {
        moodle.removeServiceFunction("core_cohort_get_cohorts");
        MoodleClient c = client();
        MoodleFatalException e = assertThrows(MoodleFatalException.class, c::getCohorts);
        assertEquals("accessexception", e.errorcode());
        assertTrue(c.isStopped());
    }

    @Test
    void invalidParameterIsARecordError() {
        Map<String, Object> bad = user(1);
        bad.put("username", "JMartin");
        MoodleRecordException e = assertThrows(MoodleRecordException.class,
                () -> client().call("core_user_create_users", Map.of("users", List.of(bad))));
        assertEquals("invalidparameter", e.errorcode());
    }

    @Test
    void maintenance503IsRetriedThenSucceeds() {
        moodle.maintenanceForNextCalls(2);
        MoodleClient c = client();
        assertEquals("Moodle Peer", c.siteInfo().sitename());
        assertEquals(3, moodle.calls("core_webservice_get_site_info"));
    }

    @Test
    void maintenanceOutlastingTheRetriesIsATransientFailure() {
        moodle.maintenanceForNextCalls(10);
        MoodleTransientException e = assertThrows(MoodleTransientException.class, () -> client().siteInfo());
        assertEquals("http503", e.errorcode());
        assertEquals(4, moodle.calls("core_webservice_get_site_info"));
    }

    // ------------------------------------------------------------------ create users

    @Test
    void bisectionOverHttp() {
        // an e-mail Moodle refuses but no local rule can see: it belongs to a user already in Moodle
        moodle.createUser("existing", "Ex", "Isting", "USER037@example.org", "X-1", "manual");
        moodle.resetCounters();
        BatchResult r = client().createUsers(users(0, 100));
        long calls = moodle.calls("core_user_create_users");
        System.out.printf("BISECTION over HTTP: 100 users, 1 refused by Moodle -> %d created, %d failed (%s), "
                        + "%d calls (client count %d), users written %d%n", r.successes().size(), r.failures().size(),
                r.failures().get(0).errorcode(), calls, r.calls(), moodle.itemsWritten("core_user_create_users", "created"));
        assertEquals(99, r.successes().size());
        assertEquals(37, r.failures().get(0).index());
        assertEquals("invalidparameter", r.failures().get(0).errorcode());
        assertTrue(calls <= 15, "calls " + calls);
        assertEquals(calls, r.calls());
        assertEquals(99, createdUsers());
        for (BatchResult.Outcome o : r.successes()) {
            long id = o.result().path("id").asLong();
            assertEquals(o.record().get("username"), moodle.user(id).orElseThrow().username());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 50, 63, 99})
    void bisectionCostWhereverTheBadUserSits(int bad) {
        moodle.createUser("existing", "Ex", "Isting", String.format("user%03d@example.org", bad), "X-1", "manual");
        moodle.resetCounters();
        BatchResult r = client().createUsers(users(0, 100));
        long calls = moodle.calls("core_user_create_users");
        System.out.printf("BISECTION over HTTP, bad user at %d: %d created, %d failed, %d calls%n", bad,
                r.successes().size(), r.failures().size(), calls);
        assertEquals(99, createdUsers());
        assertEquals(List.of(bad), r.failures().stream().map(BatchResult.Outcome::index).toList());
        assertTrue(calls <= 15, "calls " + calls);
    }

    @Test
    void twoBadUsersAreBothIsolated() {
        moodle.createUser("existing1", "Ex", "Isting", "user010@example.org", "X-1", "manual");
        moodle.createUser("existing2", "Ex", "Isting", "user077@example.org", "X-2", "manual");
        BatchResult r = client().createUsers(users(0, 100));
        assertEquals(List.of(10, 77), r.failures().stream().map(BatchResult.Outcome::index).toList());
        assertEquals(98, createdUsers());
        System.out.printf("BISECTION over HTTP, 2 bad users: %d calls%n", r.calls());
    }

    @Test
    void proxyErrorsAndInjectedMoodleErrors() {
        MoodleClient c = client();
        // 502 from a proxy, nothing applied: the create is looked up (not found), then sent again
        moodle.httpErrorForNextCalls("core_user_create_users", 1, 502);
        BatchResult r = c.createUsers(users(0, 10));
        assertTrue(r.allSucceeded(), r.toString());
        assertEquals(2, moodle.calls("core_user_create_users"));
        assertEquals(1, moodle.calls("core_user_get_users_by_field"));
        assertEquals(10, createdUsers());

        // 500 twice on an idempotent update: retried inside call
        moodle.httpErrorForNextCalls("core_user_update_users", 2, 500);
        long id = r.get(0).result().path("id").asLong();
        assertTrue(c.updateUsers(List.of(Map.of("id", id, "city", "Lyon"))).allSucceeded());
        assertEquals(3, moodle.calls("core_user_update_users"));

        // a one-off dmlwriteexception on a batch: bisection finds no bad record, all are created
        moodle.moodleErrorForNextCalls("core_user_create_users", 1, "dml_write_exception", "dmlwriteexception",
                "Error writing to database");
        BatchResult more = c.createUsers(users(10, 8));
        assertTrue(more.allSucceeded(), more.toString());
        assertEquals(18, createdUsers());

        // the site goes into maintenance mid-batch: fatal, partial result handed over, client stopped
        moodle.moodleErrorForNextCalls("core_user_create_users", 1, "moodle_exception", "sitemaintenance",
                "Site is under maintenance");
        MoodleFatalException f = assertThrows(MoodleFatalException.class, () -> c.createUsers(users(20, 5)));
        assertEquals("sitemaintenance", f.errorcode());
        assertEquals(5, f.partialResult().orElseThrow().failures().size());
        long before = moodle.totalCalls();
        assertThrows(MoodleFatalException.class, () -> c.siteInfo());
        assertEquals(before, moodle.totalCalls());
    }

    @Test
    void nonJsonAnswerIsFatal() {
        // a 200 that is not JSON: e.g. a proxy login page; simulated with the XML format Moodle would answer
        MoodleClient c = client();
        JsonNode ok = c.call("core_webservice_get_site_info", Map.of());
        assertTrue(ok.isObject());
        MoodleFatalException e = assertThrows(MoodleFatalException.class,
                () -> c.call("core_webservice_get_site_info", Map.of("moodlewsrestformat", "xml")));
        assertEquals("nonjsonresponse", e.errorcode());
    }

    @Test
    void batchesAreCutUnderMaxInputVars() {
        moodle.maxInputVars(1000);
        MoodleClient c = MoodleRoute.client(settings().withInputVars(1000, 100).withMaxRecordsPerBatch(500));
        BatchResult r = c.createUsers(users(0, 400)); // 7 fields a user: 2804 fields in one request
        assertTrue(r.allSucceeded(), r.toString());
        assertEquals(400, createdUsers(), "no user lost to PHP's silent truncation");
        assertEquals(4, moodle.calls("core_user_create_users")); // at most 128 users (900 fields) a call
    }

    @Test
    void withoutCuttingTheEmulatorWouldTruncate() {
        // control: the same 400 users in one raw call over max_input_vars lose users silently
        moodle.maxInputVars(1000);
        MoodleClient c = MoodleRoute.client(settings().withInputVars(5000, 0));
        try {
            JsonNode created = c.call("core_user_create_users", Map.of("users", users(0, 400)));
            assertTrue(created.size() < 400, "created " + created.size()); // cut on a record boundary
        } catch (MoodleRecordException e) {
            assertEquals("invalidparameter", e.errorcode()); // cut inside a record: its required keys are gone
        }
        assertTrue(createdUsers() < 400, "created " + createdUsers());
    }

    @Test
    void aCreateThatTimedOutIsNotDuplicated() {
        moodle.timeoutAfterWrite("core_user_create_users", 1, Duration.ofSeconds(3));
        MoodleClient c = MoodleRoute.client(settings().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500)));
        BatchResult r = c.createUsers(users(0, 10));
        assertTrue(r.allSucceeded(), r.toString());
        assertEquals(10, createdUsers());
        assertEquals(1, moodle.calls("core_user_create_users"), "found by the look-up, never re-created");
        assertTrue(moodle.calls("core_user_get_users_by_field") >= 1);
        for (BatchResult.Outcome o : r.outcomes()) {
            assertEquals(moodle.userByUsername((String) o.record().get("username")).orElseThrow().id(),
                    o.result().path("id").asLong());
        }
    }

    /** A reset after Moodle wrote is not sent again (one call); one before it wrote is resent (two calls). */
    @ParameterizedTest(name = "reset after the write: {0}")
    @CsvSource({"true, 1", "false, 2"})
    void aConnectionResetNeverDuplicatesTheWrite(boolean afterTheWrite, int calls) {
        if (afterTheWrite) {
            moodle.resetConnectionAfterProcessing("core_user_create_users", 1);
        } else {
            moodle.resetConnectionBeforeProcessing("core_user_create_users", 1);
        }
        BatchResult r = client().createUsers(users(0, 10));
        assertTrue(r.allSucceeded(), r.toString());
        assertEquals(10, createdUsers());
        assertEquals(calls, moodle.calls("core_user_create_users"));
    }

    // ------------------------------------------------------------------ update users, cohorts

    @Test
    void updateWarningsBecomeFailures() {
        MoodleClient c = client();
        BatchResult created = c.createUsers(users(0, 3));
        long a = created.get(0).result().path("id").asLong();
        long b = created.get(1).result().path("id").asLong();
        BatchResult r = c.updateUsers(List.of(
                new LinkedHashMap<>(Map.of("id", a, "lastname", "Martin-Bis")),
                new LinkedHashMap<>(Map.of("id", b, "email", "USER002@example.org")),
                new LinkedHashMap<>(Map.of("id", 99999, "lastname", "Ghost"))));
        assertTrue(r.get(0).success());
        assertEquals("useremailduplicate", r.get(1).errorcode());
        assertEquals("invaliduserid", r.get(2).errorcode());
        assertEquals(1, r.calls());
        assertEquals("Martin-Bis", moodle.user(a).orElseThrow().lastname());
    }

    @Test
    void cohortsEndToEnd() {
        MoodleClient c = client();
        moodle.createCohort("COH-TAKEN", "Already there");
        BatchResult created = c.createCohorts(List.of(
                Map.of("categorytype", Map.of("type", "system"), "name", "BTS SIO 2024", "idnumber", "COH-SIO-2024"),
                Map.of("categorytype", Map.of("type", "system"), "name", "Copy", "idnumber", "COH-TAKEN"),
                Map.of("categorytype", Map.of("type", "system"), "name", "BTS SIO 2025", "idnumber", "COH-SIO-2025")));
        assertTrue(created.get(0).success());
        assertEquals("invalidparameter", created.get(1).errorcode());
        assertTrue(created.get(2).success());
        long sio24 = created.get(0).result().path("id").asLong();
        long sio25 = created.get(2).result().path("id").asLong();

        BatchResult renamed = c.updateCohorts(List.of(Map.of("id", sio25, "categorytype", Map.of("type", "system"),
                "name", "BTS SIO 2025 (renamed)", "idnumber", "COH-SIO-2025")));
        assertTrue(renamed.allSucceeded());
        assertEquals("BTS SIO 2025 (renamed)", moodle.cohort(sio25).orElseThrow().name());

        BatchResult users = c.createUsers(users(0, 3));
        long u0 = users.get(0).result().path("id").asLong();
        long u1 = users.get(1).result().path("id").asLong();
        BatchResult added = c.addCohortMembers(List.of(
                MoodleClientTest.member("id", sio24, "id", u0),
                MoodleClientTest.member("idnumber", "COH-SIO-2024", "username", "user001"),
                MoodleClientTest.member("idnumber", "COH-SIO-2024", "username", "nobody"),
                MoodleClientTest.member("id", 9999, "id", u0),
                MoodleClientTest.member("id", sio25, "id", u1)));
        assertTrue(added.get(0).success());
        assertTrue(added.get(1).success());
        assertEquals("2", added.get(2).errorcode());
        assertEquals("2", added.get(3).errorcode());
        assertTrue(added.get(4).success());
        assertEquals(1, added.calls());
        BatchResult again = c.addCohortMembers(List.of(MoodleClientTest.member("id", sio24, "id", u0)));
        assertTrue(again.get(0).success(), "already a member is a success");

        Map<Long, List<Long>> members = c.getCohortMembers(List.of(sio24, 999999L, sio25));
        assertEquals(Set.of(u0, u1), Set.copyOf(members.get(sio24)));
        assertEquals(List.of(u1), members.get(sio25));
        assertFalse(members.containsKey(999999L));

        BatchResult removed = c.deleteCohortMembers(List.of(Map.of("cohortid", sio24, "userid", u0),
                Map.of("cohortid", sio24, "userid", 99999)));
        assertTrue(removed.get(0).success());
        assertEquals("invaliduser", removed.get(1).errorcode());
        assertEquals(Set.of(u1), moodle.members(sio24));
        assertEquals(3, c.getCohorts().size());
    }

    @Test
    void aCohortCreateThatTimedOutIsNotDuplicated() {
        moodle.timeoutAfterWrite("core_cohort_create_cohorts", 1, Duration.ofSeconds(3));
        MoodleClient c = MoodleRoute.client(settings().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500)));
        BatchResult r = c.createCohorts(List.of(
                Map.of("categorytype", Map.of("type", "system"), "name", "A", "idnumber", "COH-A"),
                Map.of("categorytype", Map.of("type", "system"), "name", "B", "idnumber", "COH-B")));
        assertTrue(r.allSucceeded(), r.toString());
        assertEquals(1, moodle.cohortsByIdnumber("COH-A").size());
        assertEquals(1, moodle.cohortsByIdnumber("COH-B").size());
        assertEquals(1, moodle.calls("core_cohort_create_cohorts"));
    }

    @Test
    void getUsersByFieldOverHttp() {
        MoodleClient c = client();
        c.createUsers(users(0, 5));
        List<JsonNode> found = c.getUsersByField("username", List.of("user000", "user004", "NOPE", "nobody"));
        assertEquals(Set.of("user000", "user004"), Set.of(found.get(0).path("username").asText(),
                found.get(1).path("username").asText()));
        assertEquals(2, found.size());
    }

    // ------------------------------------------------------------------ the token in logs

    @Test
    void theTokenAppearsInNoLogLine() {
        List<String> leaks;
        try (LogCapture logs = new LogCapture()) {
            moodle.maintenanceForNextCalls(1);
            moodle.timeoutAfterWrite("core_user_create_users", 1, Duration.ofSeconds(3));
            MoodleClient c = MoodleRoute.client(settings().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500)));
            org.slf4j.LoggerFactory.getLogger(getClass()).info("using {} / {}", c, c.settings());
            MoodlePreflight.check(c, MoodleClient.FUNCTIONS);
            Map<String, Object> bad = user(50);
            bad.put("email", "USER001@example.org");
            List<Map<String, Object>> batch = new ArrayList<>(users(0, 4));
            batch.add(bad);
            c.createUsers(batch);
            moodle.revokeToken();
            MoodleFatalException f = assertThrows(MoodleFatalException.class, c::getCohorts);
            org.slf4j.LoggerFactory.getLogger(getClass()).error("stopped", f);
            assertTrue(logs.events().size() >= 8);
            leaks = logs.leaks(moodle.token());
        }
        assertEquals(List.of(), leaks);
    }
}
