package org.ypsync.moodle;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client over a scripted in-process transport: call counts, classification, retries, bisection. */
class MoodleClientTest {

    static final String TOKEN = "0123456789abcdef0123456789abcdef";
    final List<Duration> pauses = new ArrayList<>();

    MoodleSettings settings() {
        return MoodleSettings.of("http://moodle.invalid/", TOKEN)
                .withRetry(4, Duration.ofMillis(100), 2.0, Duration.ofMillis(300));
    }

    MoodleClient client(FakeMoodle fake) {
        return new MoodleClient(settings(), fake, pauses::add);
    }

    static Map<String, Object> user(int i) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("username", String.format("user%03d", i));
        u.put("firstname", "First" + i);
        u.put("lastname", "Last" + i);
        u.put("email", String.format("user%03d@example.org", i));
        u.put("auth", "manual");
        u.put("password", "Passw0rd!");
        u.put("idnumber", "EXT-" + i);
        return u;
    }

    static List<Map<String, Object>> users(int n) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(user(i));
        }
        return out;
    }

    // ------------------------------------------------------------------ raw call

    @Test
    void callSendsTheFixedFieldsAndParsesJson() {
        FakeMoodle fake = new FakeMoodle(r -> FakeMoodle.json("{\"sitename\":\"S\"}"));
        JsonNode n = client(fake).call("core_webservice_get_site_info", Map.of("a", List.of(1, 2)));
        assertEquals("S", n.path("sitename").asText());
        Map<String, String> form = fake.requests.get(0).form();
        assertEquals(List.of("wstoken", "wsfunction", "moodlewsrestformat", "moodlewssettinglang", "a[0]", "a[1]"),
                new ArrayList<>(form.keySet()));
        assertEquals(TOKEN, form.get("wstoken"));
        assertEquals("json", form.get("moodlewsrestformat"));
        assertEquals("en", form.get("moodlewssettinglang"));
    }

    @Test
    void nullBodyIsASuccess() {
        FakeMoodle fake = new FakeMoodle(r -> FakeMoodle.json("null"));
        assertTrue(client(fake).call("core_cohort_delete_cohort_members", Map.of()).isNull());
    }

    @Test
    void errorsAreRecognisedByShapeWhateverTheStatus() {
        FakeMoodle fake = new FakeMoodle(r -> new MoodleTransport.Reply(500,
                "{\"exception\":\"invalid_parameter_exception\",\"errorcode\":\"invalidparameter\","
                        + "\"message\":\"Invalid parameter value detected\",\"debuginfo\":\"Unexpected keys (x)\"}"));
        MoodleRecordException e = assertThrows(MoodleRecordException.class,
                () -> client(fake).call("core_user_create_users", Map.of()));
        assertEquals("invalidparameter", e.errorcode());
        assertEquals("core_user_create_users", e.function());
        assertEquals("Unexpected keys (x)", e.debuginfo());
        assertEquals(1, fake.requests.size(), "record errors are not retried");
    }

    @Test
    void anErrorObjectFromAFunctionThatReturnsObjectsIsStillAnError() {
        FakeMoodle fake = new FakeMoodle(r -> FakeMoodle.error("moodle_exception", "categoryidnumbertaken",
                "ID number is already used for another category"));
        assertThrows(MoodleRecordException.class, () -> client(fake).call("core_course_create_categories", Map.of()));
    }

    @Test
    void fatalErrorStopsTheClientWithoutAnotherRequest() {
        FakeMoodle fake = new FakeMoodle(r -> FakeMoodle.error("moodle_exception", "invalidtoken",
                "Invalid token - token not found"));
        MoodleClient c = client(fake);
        MoodleFatalException e = assertThrows(MoodleFatalException.class, c::siteInfo);
        assertEquals("invalidtoken", e.errorcode());
        assertTrue(c.isStopped());
        MoodleFatalException again = assertThrows(MoodleFatalException.class, () -> c.getCohorts());
        assertEquals("invalidtoken", again.errorcode());
        assertThrows(MoodleFatalException.class, () -> c.createUsers(users(3)));
        assertEquals(1, fake.requests.size(), "no request after the fatal error");
        assertFalse(e.getMessage().contains(TOKEN));
    }

    @Test
    void nonJsonOk200IsFatal() {
        FakeMoodle fake = new FakeMoodle(r -> FakeMoodle.json("<?xml version=\"1.0\"?><RESPONSE/>"));
        MoodleFatalException e = assertThrows(MoodleFatalException.class,
                () -> client(fake).call("core_webservice_get_site_info", Map.of()));
        assertEquals("nonjsonresponse", e.errorcode());
    }

    @Test
    void http403IsFatalAnd503IsRetriedWithBackoff() {
        FakeMoodle forbidden = new FakeMoodle(r -> new MoodleTransport.Reply(403, ""));
        assertEquals("http403", assertThrows(MoodleFatalException.class,
                () -> client(forbidden).call("core_webservice_get_site_info", Map.of())).errorcode());

        AtomicInteger n = new AtomicInteger();
        FakeMoodle flaky = new FakeMoodle(r -> n.incrementAndGet() <= 2
                ? new MoodleTransport.Reply(503, "<html>maintenance</html>") : FakeMoodle.json("[]"));
        assertTrue(client(flaky).call("core_cohort_get_cohorts", Map.of()).isArray());
        assertEquals(3, flaky.requests.size());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), pauses);
    }

    @Test
    void transientFailuresAreThrownAfterMaxAttempts() {
        FakeMoodle down = new FakeMoodle(r -> {
            throw new ConnectException("Connection refused");
        });
        MoodleTransientException e = assertThrows(MoodleTransientException.class,
                () -> client(down).call("core_cohort_get_cohorts", Map.of()));
        assertEquals("connectfailed", e.errorcode());
        assertFalse(e.mayHaveWritten());
        assertEquals(4, down.requests.size());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300)), pauses);
    }

    @Test
    void aCreateIsNotResentBlindlyByTheRawCall() {
        FakeMoodle slow = new FakeMoodle(r -> {
            throw new HttpTimeoutException("request timed out");
        });
        MoodleTransientException e = assertThrows(MoodleTransientException.class,
                () -> client(slow).call("core_user_create_users", Map.of("users", List.of(user(1)))));
        assertTrue(e.mayHaveWritten());
        assertEquals(1, slow.requests.size());
    }

    @Test
    void refusesARequestOverTheFieldBudget() {
        FakeMoodle fake = new FakeMoodle(r -> FakeMoodle.json("[]"));
        MoodleClient c = new MoodleClient(settings().withInputVars(1000, 100), fake, pauses::add);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 897; i++) {
            ids.add(i);
        }
        assertThrows(IllegalArgumentException.class, () -> c.call("x", Map.of("ids", ids)));
        assertEquals(0, fake.requests.size());
        ids.remove(0);
        c.call("x", Map.of("ids", ids)); // 4 + 896 = 900 fields: exactly the budget
        assertEquals(1, fake.requests.size());
    }

    // ------------------------------------------------------------------ createUsers

    @Test
    void bisectionIsolatesOneBadUserInAHundredWithinFifteenCalls() {
        FakeMoodle fake = new FakeMoodle();
        // Moodle refuses user 37: its e-mail already belongs to someone in Moodle, which no local rule can see
        fake.users.put("existing", new LinkedHashMap<>(Map.of("[username]", "existing", "[email]",
                "user037@example.org", "id", "5")));
        MoodleClient c = client(fake);
        BatchResult r = c.createUsers(users(100));
        System.out.printf("bisection (fake transport): %d records, %d created, %d failed, %d calls%n",
                r.size(), r.successes().size(), r.failures().size(), r.calls());
        assertEquals(99, r.successes().size());
        assertEquals(1, r.failures().size());
        BatchResult.Outcome bad = r.get(37);
        assertFalse(bad.success());
        assertEquals("invalidparameter", bad.errorcode());
        assertEquals(BatchResult.Origin.MOODLE, bad.origin());
        assertTrue(r.calls() <= 15, "calls: " + r.calls());
        assertEquals(r.calls(), fake.requests.size());
        assertEquals(100, fake.users.size()); // 99 + the existing one
        assertEquals(fake.users.get("user012").get("id"), r.get(12).result().path("id").asText());
    }

    @Test
    void bisectionIsolatesSeveralBadUsers() {
        FakeMoodle fake = new FakeMoodle();
        fake.handler(req -> fake.createUsers(req, u -> Set.of("user003", "user050", "user051", "user099")
                .contains(u.get("[username]")) ? "dmlwriteexception" : null));
        BatchResult r = client(fake).createUsers(users(100));
        assertEquals(96, r.successes().size());
        assertEquals(List.of(3, 50, 51, 99), r.failures().stream().map(BatchResult.Outcome::index).toList());
        r.failures().forEach(f -> assertEquals("dmlwriteexception", f.errorcode()));
        assertEquals(96, fake.users.size());
    }

    @Test
    void aSharedEmailIsOnlyADuplicateWhenTheSiteForbidsIt() {
        List<Map<String, Object>> batch = users(3);
        batch.get(2).put("email", "USER000@example.org");
        FakeMoodle strict = new FakeMoodle();
        assertEquals(List.of("duplicateinbatch"), client(strict).createUsers(batch).failures().stream()
                .map(BatchResult.Outcome::errorcode).toList());
        FakeMoodle shared = new FakeMoodle();
        BatchResult r = new MoodleClient(settings().withAllowSharedEmail(true), shared, pauses::add).createUsers(batch);
        // the client sends all three: whether the site accepts the shared e-mail is Moodle's call (this fake refuses)
        assertEquals(3, shared.requests.get(0).list("users").size());
        assertTrue(r.failures().stream().noneMatch(f -> f.origin() == BatchResult.Origin.CLIENT), r.toString());
    }

    @Test
    void prevalidationFailuresCostNoCall() {
        FakeMoodle fake = new FakeMoodle();
        List<Map<String, Object>> batch = users(5);
        batch.get(1).put("username", "Jean.Dupont");
        batch.get(2).put("email", "not-an-email");
        batch.get(3).put("email", "USER000@example.org"); // same e-mail as record 0, other case
        batch.get(4).put("password", "abc");
        BatchResult r = client(fake).createUsers(batch);
        assertEquals(List.of("usernamelowercase", "invalidemail", "duplicateinbatch", "passwordpolicy"),
                r.failures().stream().map(BatchResult.Outcome::errorcode).toList());
        r.failures().forEach(f -> assertEquals(BatchResult.Origin.CLIENT, f.origin()));
        assertEquals(1, r.calls());
        assertEquals(1, fake.requests.get(0).list("users").size());

        FakeMoodle none = new FakeMoodle();
        BatchResult allBad = client(none).createUsers(List.of(user(1), user(1)).subList(0, 1).stream()
                .map(u -> { Map<String, Object> m = new LinkedHashMap<>(u); m.put("foo", 1); return m; }).toList());
        assertEquals("unknownkey", allBad.get(0).errorcode());
        assertEquals(0, none.requests.size());
    }

    @Test
    void batchesAreCutUnderTheFieldBudgetAndNothingIsLost() {
        FakeMoodle fake = new FakeMoodle();
        fake.maxInputVars = 1000; // the fake truncates like PHP above this
        MoodleClient c = new MoodleClient(settings().withInputVars(1000, 100).withMaxRecordsPerBatch(500), fake,
                pauses::add);
        BatchResult r = c.createUsers(users(400)); // 7 fields each: 2804 fields in one request
        assertTrue(r.allSucceeded(), r.toString());
        assertEquals(400, fake.users.size());
        for (FakeMoodle.Request req : fake.requests) {
            assertTrue(req.form().size() <= 900, "request of " + req.form().size() + " fields");
        }
        assertEquals(4, fake.requests.size()); // 128 users (900 fields) per request at most
    }

    @Test
    void maxRecordsPerBatchIsHonoured() {
        FakeMoodle fake = new FakeMoodle();
        MoodleClient c = new MoodleClient(settings().withMaxRecordsPerBatch(10), fake, pauses::add);
        assertTrue(c.createUsers(users(25)).allSucceeded());
        assertEquals(List.of(10, 10, 5), fake.requests.stream().map(q -> q.list("users").size()).toList());
    }

    @Test
    void aCreateThatTimedOutAfterWritingIsNotDuplicated() {
        FakeMoodle fake = new FakeMoodle();
        AtomicInteger creates = fake.firstCalls("core_user_create_users", 1, req -> {
            fake.createUsers(req, u -> null); // Moodle did the work ...
            throw new HttpTimeoutException("request timed out"); // ... but the answer never came
        });
        BatchResult r = client(fake).createUsers(users(10));
        assertTrue(r.allSucceeded(), r.toString());
        assertEquals(10, fake.users.size());
        assertEquals(1, creates.get(), "all were found by the look-up: no second create");
        assertEquals(1, fake.calls("core_user_get_users_by_field"));
        assertEquals(fake.users.get("user004").get("id"), r.get(4).result().path("id").asText());
    }

    @Test
    void aPartlyWrittenCreateOnlyResendsTheMissingUsers() {
        FakeMoodle fake = new FakeMoodle();
        AtomicInteger creates = fake.firstCalls("core_user_create_users", 1, req -> {
            // a proxy answers 502 after Moodle created the first 4 (say, another worker's request)
            FakeMoodle.Request first4 = new FakeMoodle.Request(new LinkedHashMap<>());
            req.form().forEach((k, v) -> {
                if (k.matches("users\\[[0-3]\\].*")) {
                    first4.form().put(k, v);
                }
            });
            fake.createUsers(first4, u -> null);
            return new MoodleTransport.Reply(502, "Bad Gateway");
        });
        BatchResult r = client(fake).createUsers(users(10));
        assertTrue(r.allSucceeded(), r.toString());
        assertEquals(10, fake.users.size());
        assertEquals(2, creates.get());
        assertEquals(6, fake.requests.get(fake.requests.size() - 1).list("users").size());
    }

    @Test
    void aCreateRefusedBeforeSendingIsRetriedWithoutLookUp() {
        FakeMoodle fake = new FakeMoodle();
        fake.firstCalls("core_user_create_users", 2,
                req -> new MoodleTransport.Reply(503, "<html>Site under maintenance</html>"));
        BatchResult r = client(fake).createUsers(users(3));
        assertTrue(r.allSucceeded());
        assertEquals(0, fake.calls("core_user_get_users_by_field"));
        assertEquals(3, r.calls());
    }

    @Test
    void exhaustedTransientFailuresAreRetryableOutcomes() {
        FakeMoodle fake = new FakeMoodle();
        fake.handler(req -> req.function().equals("core_user_create_users")
                ? new MoodleTransport.Reply(503, "down") : fake.standard(req));
        BatchResult r = client(fake).createUsers(users(3));
        assertEquals(3, r.failures().size());
        r.failures().forEach(f -> {
            assertTrue(f.retryable());
            assertEquals("http503", f.errorcode());
        });
        assertEquals(4, r.calls());
    }

    // ------------------------------------------------------------------ updateUsers

    @Test
    void updateWarningsBecomePerRecordFailures() {
        FakeMoodle fake = new FakeMoodle(r -> FakeMoodle.json("{\"warnings\":[{\"item\":\"user\",\"itemid\":5,"
                + "\"warningcode\":\"useremailduplicate\",\"message\":\"Duplicate address\"}]}"));
        BatchResult r = client(fake).updateUsers(List.of(
                new LinkedHashMap<>(Map.of("id", 4, "lastname", "Martin-Bis")),
                new LinkedHashMap<>(Map.of("id", 5, "email", "jean.dupont@example.org")),
                new LinkedHashMap<>(Map.of("id", 6, "suspended", true)),
                new LinkedHashMap<>(Map.of("id", 7, "foo", "bar"))));
        assertTrue(r.get(0).success());
        assertEquals(4, r.get(0).result().path("id").asInt());
        assertEquals("useremailduplicate", r.get(1).errorcode());
        assertEquals(BatchResult.Origin.MOODLE, r.get(1).origin());
        assertTrue(r.get(2).success());
        assertEquals("unknownkey", r.get(3).errorcode());
        assertEquals(1, r.calls());
        assertEquals("1", fake.requests.get(0).form().get("users[2][suspended]"));
    }

    @Test
    void updateRefusedAsAWholeIsBisected() {
        FakeMoodle fake = new FakeMoodle(req -> req.list("users").stream()
                .anyMatch(u -> "99".equals(u.get("[id]"))) ? FakeMoodle.invalidParameter()
                : FakeMoodle.json("{\"warnings\":[]}"));
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 90; i < 100; i++) {
            batch.add(Map.of("id", i, "lastname", "L" + i));
        }
        BatchResult r = client(fake).updateUsers(batch);
        assertEquals(9, r.successes().size());
        assertEquals("invalidparameter", r.get(9).errorcode());
    }

    // ------------------------------------------------------------------ cohorts

    static Map<String, Object> member(String ctype, Object cvalue, String utype, Object uvalue) {
        return Map.of("cohorttype", Map.of("type", ctype, "value", cvalue),
                "usertype", Map.of("type", utype, "value", uvalue));
    }

    @Test
    void addMemberWarningsAreCorrelatedByMessage() {
        // the warnings of the 4.4 transcript "cohort_add_members_mixed", plus an already-member
        FakeMoodle fake = new FakeMoodle(r -> FakeMoodle.json("{\"warnings\":["
                + "{\"warningcode\":\"2\",\"message\":\"user username=nobody not exists\"},"
                + "{\"warningcode\":\"3\",\"message\":\"record already exists: cohort(id=1 username=jdupont)\"},"
                + "{\"warningcode\":\"2\",\"message\":\"cohort id=9999 not exists\"},"
                + "{\"warningcode\":\"2\",\"message\":\"user id=99999 not exists\"}]}"));
        BatchResult r = client(fake).addCohortMembers(List.of(
                member("idnumber", "COH-SIO-2024", "username", "bdurand"),
                member("idnumber", "COH-SIO-2024", "username", "nobody"),
                member("id", 1, "username", "jdupont"),
                member("id", 9999, "username", "amartin"),
                member("id", 2, "id", 99999),
                member("id", 2, "id", 13),
                member("id", 2, "idnumber", "EXT-3")));
        assertTrue(r.get(0).success());
        assertEquals("2", r.get(1).errorcode());
        assertTrue(r.get(2).success(), "already a member is a success");
        assertEquals("3", r.get(2).result().path("warningcode").asText());
        assertEquals("2", r.get(3).errorcode());
        assertEquals("2", r.get(4).errorcode());
        assertTrue(r.get(5).success());
        assertEquals("1", r.get(6).errorcode());
        assertEquals(BatchResult.Origin.CLIENT, r.get(6).origin());
        assertEquals(1, r.calls());
    }

    @Test
    void addMemberWarningsThatCannotBePlacedAreBisected() {
        // a site whose warnings say nothing usable: the member with user id 7 is the bad one
        FakeMoodle fake = new FakeMoodle(req -> req.list("members").stream()
                .anyMatch(m -> "7".equals(m.get("[usertype][value]")))
                ? FakeMoodle.json("{\"warnings\":[{\"warningcode\":\"2\",\"message\":\"utilisateur inconnu\"}]}")
                : FakeMoodle.json("{\"warnings\":[]}"));
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int u = 1; u <= 8; u++) {
            batch.add(member("id", 1, "id", u));
        }
        BatchResult r = client(fake).addCohortMembers(batch);
        assertEquals(7, r.successes().size());
        assertEquals("2", r.get(6).errorcode());
        assertTrue(r.calls() <= 7, "calls " + r.calls());
    }

    @Test
    void deleteMembersIsBisectedOnInvalidUser() {
        FakeMoodle fake = new FakeMoodle(req -> req.list("members").stream()
                .anyMatch(m -> "99999".equals(m.get("[userid]")))
                ? FakeMoodle.error("dml_missing_record_exception", "invaliduser", "Invalid user")
                : FakeMoodle.json("null"));
        BatchResult r = client(fake).deleteCohortMembers(List.of(
                Map.of("cohortid", 1, "userid", 4), Map.of("cohortid", 1, "userid", 99999),
                Map.of("cohortid", 1, "userid", 5), Map.of("cohortid", 1, "userid", 4)));
        assertTrue(r.get(0).success());
        assertEquals("invaliduser", r.get(1).errorcode());
        assertTrue(r.get(2).success());
        assertEquals("duplicateinbatch", r.get(3).errorcode());
        assertEquals(5, r.calls()); // [4,99999,5] -> [4,99999] -> [4], [99999]; [5]
    }

    @Test
    void createCohortsBisectsAndRecoversByIdnumber() {
        List<String> existing = new ArrayList<>(List.of("COH-TAKEN"));
        AtomicInteger creates = new AtomicInteger();
        FakeMoodle fake = new FakeMoodle();
        fake.handler(req -> {
            switch (req.function()) {
                case "core_cohort_create_cohorts" -> {
                    List<Map<String, String>> cs = req.list("cohorts");
                    if (cs.stream().anyMatch(c -> existing.contains(c.get("[idnumber]")))) {
                        return FakeMoodle.invalidParameter();
                    }
                    StringBuilder sb = new StringBuilder("[");
                    for (Map<String, String> c : cs) {
                        existing.add(c.get("[idnumber]"));
                        sb.append(sb.length() > 1 ? "," : "").append("{\"id\":").append(existing.size())
                                .append(",\"name\":\"").append(c.get("[name]")).append("\",\"idnumber\":\"")
                                .append(c.get("[idnumber]")).append("\"}");
                    }
                    if (creates.incrementAndGet() == 1) {
                        throw new HttpTimeoutException("timed out after the commit");
                    }
                    return FakeMoodle.json(sb.append("]").toString());
                }
                case "core_cohort_get_cohorts" -> {
                    StringBuilder sb = new StringBuilder("[");
                    for (int i = 0; i < existing.size(); i++) {
                        sb.append(i > 0 ? "," : "").append("{\"id\":").append(i + 1).append(",\"name\":\"")
                                .append(existing.get(i).equals("COH-TAKEN") ? "Old" : "N " + existing.get(i))
                                .append("\",\"idnumber\":\"").append(existing.get(i)).append("\"}");
                    }
                    return FakeMoodle.json(sb.append("]").toString());
                }
                default -> throw new IllegalStateException(req.function());
            }
        });
        List<Map<String, Object>> batch = new ArrayList<>();
        for (String idn : List.of("COH-A", "COH-B")) {
            batch.add(Map.of("categorytype", Map.of("type", "system"), "name", "N " + idn, "idnumber", idn));
        }
        MoodleClient c = client(fake);
        BatchResult first = c.createCohorts(batch);
        assertTrue(first.allSucceeded(), first.toString());
        assertEquals(List.of("COH-TAKEN", "COH-A", "COH-B"), existing, "no duplicate after the timeout");
        assertEquals("", fake.requests.get(0).form().get("cohorts[0][categorytype][value]"));

        batch = new ArrayList<>(List.of(
                Map.of("categorytype", Map.of("type", "system"), "name", "N COH-C", "idnumber", "COH-C"),
                Map.of("categorytype", Map.of("type", "system"), "name", "Copy", "idnumber", "COH-TAKEN"),
                Map.of("categorytype", Map.of("type", "system"), "name", "N COH-D", "idnumber", "COH-D")));
        BatchResult second = c.createCohorts(batch);
        assertTrue(second.get(0).success());
        assertEquals("invalidparameter", second.get(1).errorcode());
        assertTrue(second.get(2).success());
        assertEquals("COH-D", second.get(2).result().path("idnumber").asText());
        assertEquals(List.of("COH-TAKEN", "COH-A", "COH-B", "COH-C", "COH-D"), existing);
    }

    @Test
    void getCohortMembersSkipsUnknownCohorts() {
        FakeMoodle fake = new FakeMoodle(req -> {
            if (req.form().containsValue("9999")) {
                return FakeMoodle.error("dml_missing_record_exception", "invalidrecord",
                        "Can't find data record in database table cohort.");
            }
            StringBuilder sb = new StringBuilder("[");
            req.form().forEach((k, v) -> {
                if (k.startsWith("cohortids[")) {
                    sb.append(sb.length() > 1 ? "," : "").append("{\"cohortid\":").append(v)
                            .append(",\"userids\":[3,").append(v).append("]}");
                }
            });
            return FakeMoodle.json(sb.append("]").toString());
        });
        Map<Long, List<Long>> m = client(fake).getCohortMembers(List.of(1L, 9999L, 2L));
        assertEquals(Map.of(1L, List.of(3L, 1L), 2L, List.of(3L, 2L)), m);
    }

    // ------------------------------------------------------------------ reads and site info

    @Test
    void getUsersByFieldCutsAndSkipsValuesMoodleWouldRefuse() {
        FakeMoodle fake = new FakeMoodle();
        for (int i = 0; i < 30; i++) {
            fake.users.put("u" + i, Map.of("[username]", "u" + i, "[email]", "u" + i + "@x.fr", "id", "" + i));
        }
        MoodleClient c = new MoodleClient(settings().withInputVars(200, 185), fake, pauses::add); // 15 fields
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            values.add("u" + i);
        }
        values.add("JDupont"); // would make Moodle refuse the whole call
        values.add("u3");      // duplicate
        List<JsonNode> found = c.getUsersByField("username", values);
        assertEquals(30, found.size());
        assertEquals(3, fake.requests.size()); // 10 values per call (4 + field + 10 = 15)
        assertThrows(IllegalArgumentException.class, () -> c.getUsersByField("auth", List.of("manual")));
        assertTrue(c.getUsersByField("username", List.of()).isEmpty());
        assertEquals(3, fake.requests.size());
    }

    @Test
    void siteInfoAndPreflight() {
        String body = "{\"sitename\":\"Moodle Peer\",\"username\":\"admin\",\"release\":\"4.4.3+ (Build: 20240903)\","
                + "\"version\":\"2024042203.01\",\"functions\":[{\"name\":\"core_user_create_users\",\"version\":\"1\"},"
                + "\"core_webservice_get_site_info\"]}";
        MoodleClient c = client(new FakeMoodle(r -> FakeMoodle.json(body)));
        SiteInfo info = c.siteInfo();
        assertEquals("Moodle Peer", info.sitename());
        assertEquals(Set.of("core_user_create_users", "core_webservice_get_site_info"), info.functions());
        PreflightReport ok = MoodlePreflight.check(c, Set.of("core_user_create_users"));
        assertTrue(ok.ok());
        assertEquals("4.4.3+ (Build: 20240903)", ok.release());
        PreflightReport missing = MoodlePreflight.check(c, Set.of("core_user_create_users", "core_cohort_get_cohorts"));
        assertFalse(missing.ok());
        assertEquals(Set.of("core_cohort_get_cohorts"), missing.missingFunctions());

        PreflightReport bad = MoodlePreflight.check(client(new FakeMoodle(r -> FakeMoodle.error("moodle_exception",
                "invalidtoken", "Invalid token - token not found"))), MoodleClient.FUNCTIONS);
        assertFalse(bad.ok());
        assertEquals("invalidtoken", bad.errorcode());
        assertFalse(bad.toString().contains(TOKEN));
    }

    @Test
    void settingsNeverPrintTheToken() {
        MoodleSettings s = settings();
        assertFalse(s.toString().contains(TOKEN), s.toString());
        assertTrue(s.toString().contains("****"));
        assertEquals("http://moodle.invalid/webservice/rest/server.php", s.endpoint().toString());
        assertEquals(4800, s.fieldBudget());
        assertFalse(client(new FakeMoodle()).toString().contains(TOKEN));
    }

    @Test
    void settingsFromConfigKeys() {
        MoodleSettings s = MoodleSettings.fromConfig(Map.of("url", "https://m.example.org/moodle/", "token", TOKEN,
                "max-input-vars", "10000", "retry.max-attempts", "2", "password-policy", "false"));
        assertEquals("https://m.example.org/moodle/webservice/rest/server.php", s.endpoint().toString());
        assertEquals(9800, s.fieldBudget());
        assertEquals(2, s.retryMaxAttempts());
        assertEquals(MoodleSettings.PasswordPolicy.NONE, s.passwordPolicy());
        assertEquals(Duration.ofSeconds(120), s.readTimeout());
        assertThrows(IllegalArgumentException.class, () -> MoodleSettings.fromConfig(Map.of("url", "http://x")));
        assertThrows(IllegalArgumentException.class, () -> MoodleSettings.fromConfig(Map.of("url", "ftp://x",
                "token", "t")));
    }

    @Test
    void aFatalErrorMidBatchHandsOverWhatWasSettled() {
        FakeMoodle fake = new FakeMoodle();
        AtomicInteger creates = new AtomicInteger();
        fake.handler(req -> creates.incrementAndGet() == 1 ? fake.standard(req)
                : FakeMoodle.error("moodle_exception", "sitemaintenance", "Site is under maintenance"));
        MoodleClient c = new MoodleClient(settings().withMaxRecordsPerBatch(5), fake, pauses::add);
        MoodleFatalException f = assertThrows(MoodleFatalException.class, () -> c.createUsers(users(12)));
        assertEquals("sitemaintenance", f.errorcode());
        BatchResult partial = f.partialResult().orElseThrow();
        assertEquals(5, partial.successes().size());
        assertEquals(7, partial.failures().size());
        partial.failures().forEach(o -> assertTrue(o.retryable()));
        assertEquals(2, partial.calls());
        assertTrue(c.isStopped());
    }

    @Test
    void anInterruptWhileWaitingToRetrySettlesTheBatchWithoutThrowing() {
        FakeMoodle fake = new FakeMoodle();
        fake.handler(req -> req.function().equals("core_user_create_users")
                ? new MoodleTransport.Reply(503, "down") : fake.standard(req));
        MoodleClient c = new MoodleClient(settings(), fake, d -> {
            throw new InterruptedException("stage stopping");
        });
        try {
            BatchResult r = c.createUsers(users(3));
            assertEquals(3, r.failures().size());
            r.failures().forEach(f -> assertTrue(f.retryable()));
            assertEquals(1, fake.calls("core_user_create_users"));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted(); // clear the flag for the next tests
        }
    }
}
