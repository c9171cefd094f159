package org.ypsync.moodle;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records per call, per write function: each function's calls stay within the field budget and the function's own
 * record cap, with the widest records ypsync sends; narrow records (members) go up to their cap, wide ones (user
 * creates with password and custom field) stop at the field budget first. The batching route's strategy and the
 * client cut to the same {@link BatchLimit}.
 */
class MoodleBatchSizeTest extends CamelTestSupport {

    static final String TOKEN = MoodleClientTest.TOKEN;

    /** The site's defaults: budget 4,800 fields, 100 records, 1,000 for user updates and member adds and deletes. */
    static MoodleSettings defaults() {
        return MoodleSettings.of("http://moodle.invalid/", TOKEN)
                .withRetry(1, Duration.ofMillis(1), 1.0, Duration.ofMillis(1));
    }

    /** A created user as ypsync sends it at its widest: manual auth with a password, the user-type profile field. */
    static Map<String, Object> wideUser(int i) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("username", "apprenant" + i);
        u.put("firstname", "Prénom" + i);
        u.put("lastname", "Nom" + i);
        u.put("email", "apprenant" + i + "@example.org");
        u.put("idnumber", "1_" + (1000000 + i));
        u.put("auth", "manual");
        u.put("password", "Yp-" + i + "-Passw0rd!");
        u.put("customfields", List.of(Map.of("type", "netypareo_usertype", "value", "student")));
        return u; // 9 form fields
    }

    /** An update that changes every field ypsync manages, and revives the account. */
    static Map<String, Object> wideUpdate(int i) {
        Map<String, Object> u = new LinkedHashMap<>(wideUser(i));
        u.remove("password");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", 100 + i);
        m.putAll(u);
        m.put("suspended", 0);
        return m; // 10 form fields
    }

    static Map<String, Object> cohort(int i) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("categorytype", Map.of("type", "idnumber", "value", "CFA"));
        c.put("name", "Groupe " + i);
        c.put("idnumber", "GRP_" + i);
        c.put("description", "BTS " + i);
        return c; // 5 form fields
    }

    static Map<String, Object> cohortUpdate(int i) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", 10 + i);
        c.putAll(cohort(i));
        return c;
    }

    static Map<String, Object> member(int i) {
        return Map.of("cohorttype", Map.of("type", "id", "value", 7), "usertype", Map.of("type", "id", "value", 100 + i));
    }

    static Map<String, Object> removal(int i) {
        return Map.of("cohortid", 7, "userid", 100 + i);
    }

    /** Answers every write as Moodle does when all records are written. */
    static FakeMoodle allWritten() {
        FakeMoodle fake = new FakeMoodle();
        fake.handler(r -> switch (r.function()) {
            case MoodleClient.CREATE_USERS -> fake.createUsers(r, u -> null);
            case MoodleClient.UPDATE_USERS, MoodleClient.ADD_COHORT_MEMBERS -> FakeMoodle.json("{\"warnings\":[]}");
            case MoodleClient.CREATE_COHORTS -> {
                StringBuilder sb = new StringBuilder("[");
                for (Map<String, String> c : r.list("cohorts")) {
                    sb.append(sb.length() > 1 ? "," : "").append("{\"id\":1,\"idnumber\":\"")
                            .append(c.get("[idnumber]")).append("\"}");
                }
                yield FakeMoodle.json(sb.append("]").toString());
            }
            default -> FakeMoodle.json("null");
        });
        return fake;
    }

    record Case(String function, String listKey, IntFunction<Map<String, Object>> record, int fields) {
        BatchResult write(MoodleClient c, List<Map<String, Object>> records) {
            return switch (function) {
                case MoodleClient.CREATE_USERS -> c.createUsers(records);
                case MoodleClient.UPDATE_USERS -> c.updateUsers(records);
                case MoodleClient.CREATE_COHORTS -> c.createCohorts(records);
                case MoodleClient.UPDATE_COHORTS -> c.updateCohorts(records);
                case MoodleClient.ADD_COHORT_MEMBERS -> c.addCohortMembers(records);
                default -> c.deleteCohortMembers(records);
            };
        }
    }

    static final List<Case> CASES = List.of(
            new Case(MoodleClient.CREATE_USERS, "users", MoodleBatchSizeTest::wideUser, 9),
            new Case(MoodleClient.UPDATE_USERS, "users", MoodleBatchSizeTest::wideUpdate, 10),
            new Case(MoodleClient.CREATE_COHORTS, "cohorts", MoodleBatchSizeTest::cohort, 5),
            new Case(MoodleClient.UPDATE_COHORTS, "cohorts", MoodleBatchSizeTest::cohortUpdate, 6),
            new Case(MoodleClient.ADD_COHORT_MEMBERS, "members", MoodleBatchSizeTest::member, 4),
            new Case(MoodleClient.DELETE_COHORT_MEMBERS, "members", MoodleBatchSizeTest::removal, 2));

    /** Sends n records of the case and checks every call against the budget and the function's cap. */
    static List<Integer> sizesOfCalls(MoodleSettings settings, Case k, int n) {
        FakeMoodle fake = allWritten();
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(k.record().apply(i));
            assertEquals(k.fields(), FormEncoder.countLeaves(records.get(i)), k.function() + " record width");
        }
        BatchResult r = k.write(new MoodleClient(settings, fake, d -> { }), records);
        assertTrue(r.allSucceeded(), k.function() + ": " + r);
        List<Integer> sizes = new ArrayList<>();
        for (FakeMoodle.Request q : fake.requests) {
            assertEquals(k.function(), q.function());
            assertTrue(q.form().size() <= settings.fieldBudget(),
                    k.function() + ": a call of " + q.form().size() + " fields");
            int size = q.list(k.listKey()).size();
            assertTrue(size <= settings.maxRecordsPerBatch(k.function()), k.function() + ": a call of " + size);
            sizes.add(size);
        }
        assertEquals(n, sizes.stream().mapToInt(Integer::intValue).sum(), k.function() + ": every record sent once");
        return sizes;
    }

    @Test
    void eachFunctionsCallsStayWithinTheFieldBudgetAndItsOwnCap() {
        MoodleSettings s = defaults();
        Map<String, List<Integer>> sizes = new HashMap<>();
        for (Case k : CASES) {
            sizes.put(k.function(), sizesOfCalls(s, k, 2500));
        }
        // all-or-nothing writes at the default cap of 100
        assertEquals(25, sizes.get(MoodleClient.CREATE_USERS).size());
        assertEquals(25, sizes.get(MoodleClient.CREATE_COHORTS).size());
        assertEquals(25, sizes.get(MoodleClient.UPDATE_COHORTS).size());
        // the others at 1,000, or the field budget first: (4800 - 4) / 10 = 479 wide updates a call
        assertEquals(List.of(479, 479, 479, 479, 479, 105), sizes.get(MoodleClient.UPDATE_USERS));
        assertEquals(List.of(1000, 1000, 500), sizes.get(MoodleClient.ADD_COHORT_MEMBERS));
        assertEquals(List.of(1000, 1000, 500), sizes.get(MoodleClient.DELETE_COHORT_MEMBERS));
    }

    @Test
    void aSmallerMaxInputVarsCutsEveryFunctionToTheBudget() {
        // max_input_vars 1000 less 100: (900 - 4) / fields records a call
        MoodleSettings s = defaults().withInputVars(1000, 100).withMaxRecordsPerBatch(5000);
        for (Case k : CASES) {
            int perCall = Math.min(s.maxRecordsPerBatch(k.function()), (900 - 4) / k.fields());
            List<Integer> sizes = sizesOfCalls(s, k, 1200);
            assertEquals(perCall, sizes.get(0), k.function());
            assertEquals((1200 + perCall - 1) / perCall, sizes.size(), k.function());
        }
    }

    @Test
    void aFunctionsOwnCapBindsBeforeTheBudget() {
        MoodleSettings s = defaults().withMaxRecordsPerBatch(MoodleClient.ADD_COHORT_MEMBERS, 300)
                .withMaxRecordsPerBatch(MoodleClient.CREATE_USERS, 250);
        assertEquals(List.of(300, 300, 300, 100), sizesOfCalls(s, CASES.get(4), 1000));
        assertEquals(List.of(250, 250, 250, 250), sizesOfCalls(s, CASES.get(0), 1000));
        // the others keep theirs
        assertEquals(List.of(1000), sizesOfCalls(s, CASES.get(5), 1000));
        assertEquals(10, sizesOfCalls(s, CASES.get(2), 1000).size());
    }

    // ------------------------------------------------------------------ configuration keys

    @Test
    void perFunctionKeysAreReadAndTheOldKeyStaysTheDefault() {
        MoodleSettings d = MoodleSettings.fromConfig(Map.of("url", "https://m.example.org", "token", TOKEN));
        assertEquals(100, d.maxRecordsPerBatch(MoodleClient.CREATE_USERS));
        assertEquals(100, d.maxRecordsPerBatch(MoodleClient.CREATE_COHORTS));
        assertEquals(100, d.maxRecordsPerBatch(MoodleClient.UPDATE_COHORTS));
        assertEquals(1000, d.maxRecordsPerBatch(MoodleClient.UPDATE_USERS));
        assertEquals(1000, d.maxRecordsPerBatch(MoodleClient.ADD_COHORT_MEMBERS));
        assertEquals(1000, d.maxRecordsPerBatch(MoodleClient.DELETE_COHORT_MEMBERS));

        MoodleSettings s = MoodleSettings.fromConfig(Map.of("url", "https://m.example.org", "token", TOKEN,
                "max-records-per-batch", "40",
                "max-records-per-batch.core_cohort_add_cohort_members", "1200",
                "max-records-per-batch.core_user_create_users", "250"));
        assertEquals(40, s.maxRecordsPerBatch());
        assertEquals(40, s.maxRecordsPerBatch(MoodleClient.CREATE_COHORTS)); // no key of its own: the old key
        assertEquals(250, s.maxRecordsPerBatch(MoodleClient.CREATE_USERS));
        assertEquals(1200, s.maxRecordsPerBatch(MoodleClient.ADD_COHORT_MEMBERS));
        assertEquals(1000, s.maxRecordsPerBatch(MoodleClient.DELETE_COHORT_MEMBERS));
        assertEquals(new BatchLimit(4800, 1200), BatchLimit.of(s, MoodleClient.ADD_COHORT_MEMBERS));
        assertTrue(s.toString().contains("core_cohort_add_cohort_members=1200"), s.toString());

        assertThrows(IllegalArgumentException.class, () -> MoodleSettings.fromConfig(Map.of("url", "https://m",
                "token", TOKEN, "max-records-per-batch.core_user_update_users", "many")));
        assertThrows(IllegalArgumentException.class, () -> MoodleSettings.fromConfig(Map.of("url", "https://m",
                "token", TOKEN, "max-records-per-batch.core_user_update_users", "0")));
        assertThrows(IllegalArgumentException.class,
                () -> defaults().withMaxRecordsPerBatch("core_user_delete_users", 10));
    }

    // ------------------------------------------------------------------ the batching route's strategy

    final MoodleSettings routeSettings = defaults();
    final MoodleSettings tight = defaults().withInputVars(1000, 100);

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                MoodleBatchStrategyTest.batching(this, "direct:members", "members",
                        new MoodleBatchStrategy(routeSettings, MoodleClient.ADD_COHORT_MEMBERS), "mock:members");
                MoodleBatchStrategyTest.batching(this, "direct:users", "users",
                        new MoodleBatchStrategy(tight, MoodleClient.CREATE_USERS), "mock:users");
            }
        };
    }

    @SuppressWarnings("unchecked")
    private List<Integer> batches(String route, String mock, List<Map<String, Object>> records, String listKey,
                                  MoodleSettings s) {
        template.sendBody(route, records);
        MockEndpoint m = getMockEndpoint(mock);
        List<Integer> sizes = new ArrayList<>();
        m.getReceivedExchanges().forEach(e -> {
            List<Object> batch = e.getMessage().getBody(List.class);
            assertTrue(FormEncoder.countFields(Map.of(listKey, batch)) <= s.fieldBudget());
            sizes.add(batch.size());
        });
        return sizes;
    }

    @Test
    void theRoutesStrategyFillsMemberBatchesToTheirCap() {
        List<Map<String, Object>> members = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            members.add(member(i));
        }
        assertEquals(List.of(1000, 1000, 500), batches("direct:members", "mock:members", members, "members",
                routeSettings));
    }

    @Test
    void theRoutesStrategyStopsWideUsersAtTheBudgetAsTheClientDoes() {
        List<Map<String, Object>> users = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            users.add(wideUser(i));
        }
        // (900 - 4) / 9 = 99 users a call, below the cap of 100
        List<Integer> sizes = batches("direct:users", "mock:users", users, "users", tight);
        assertEquals(List.of(99, 99, 52), sizes);
        // the client, given one of these batches, sends it in one call: the same limit
        FakeMoodle fake = allWritten();
        new MoodleClient(tight, fake, d -> { }).createUsers(users.subList(0, 99));
        assertEquals(1, fake.requests.size());
    }
}
