package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ypsync.Launch;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.Site;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.EmulatedData;
import org.ypsync.ops.StageRun;

/**
 * A record NetYpareo listed twice and a store that fails while the cache stage stages records are told apart: the
 * first is a dead letter that says so and the rest is cached; the second fails the instance's run as a store error
 * with its SQL state (secrets masked), never as a record listed twice, and the next run caches everything.
 */
class CacheStoreErrorScenarioTest {
    private static final String TWICE = "listed this record twice";

    @AfterEach
    void disarm() {
        FailingStore.disarm();
    }

    private static List<String> deadLetterReasons(String store) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(store, "", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT reason FROM dead_letter ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String newStore() {
        return "jdbc:h2:mem:cache-store-error-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    @Test
    void aSiteListedTwiceIsADeadLetterThatSaysSo() throws Exception {
        String store = newStore();
        try (DemoEnvironment env = DemoEnvironment.start(7L, DataSetSize.DEMO, store)) {
            Site site = env.netypareo().data(DemoEnvironment.FIRST).sites().get(0);
            env.netypareo().data(DemoEnvironment.FIRST).addRawRecord("sites", new ObjectMapper().createObjectNode()
                    .put("codeSite", site.code()).put("nomSite", site.name()).put("abregeSite", site.shortCode())
                    .put("plusUtilise", 0));
            StageRun run = OneRun.of(env.properties(), "cache");
            assertEquals(StageRun.Outcome.RECORDS_FAILED, run.outcome(), run.summary());
            List<String> reasons = deadLetterReasons(store);
            assertEquals(1, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).contains(TWICE), reasons.toString());
            int sites = env.netypareo().data(DemoEnvironment.FIRST).sites().size();
            assertEquals(sites, OneRun.count(store, "SELECT COUNT(*) FROM np_site WHERE instance_index = 0"));
        }
    }

    @Test
    void aStoreErrorWhileStagingFailsTheRunAsAStoreErrorWithItsSqlState() throws Exception {
        String store = newStore();
        try (DemoEnvironment env = DemoEnvironment.start(7L, DataSetSize.DEMO, store)) {
            Map<String, String> config = env.properties();
            Launch.onceWith(config, context -> 0, System.out);
            FailingStore.install(store, "cache_staging");
            String secret = config.get("netypareo.demo.token");
            // a constraint other than a duplicate key, its message carrying a secret
            FailingStore.arm(1, "23514", "check constraint broken (test) near " + secret);

            StageRun failed = OneRun.of(config, "cache");
            assertEquals(0, FailingStore.remaining(), "the store failed once");
            assertStoreError(failed, "store error while staging", "SQL state 23514: check constraint broken (test)", secret,
                    store);
            assertEquals(1, OneRun.count(store, "SELECT COUNT(*) FROM cache_status WHERE outcome = 'FAILED'"),
                    "the instance whose batch failed");
            assertEquals(0, OneRun.count(store, "SELECT COUNT(*) FROM np_student s JOIN cache_status c"
                    + " ON s.instance_index = c.instance_index WHERE c.outcome = 'FAILED'"),
                    "its cache is not updated from a partly staged run");

            // a lost connection: the pool closes it at once, and camel-sql's clean-up on the closed connection
            // ("Connection is closed") hides the driver's own error; still a store error
            FailingStore.arm(1, "08006", "connection to the store lost (test)");
            assertStoreError(OneRun.of(config, "cache"), "store error while staging", "SQL state", secret, store);

            StageRun again = OneRun.of(config, "cache");
            assertEquals(StageRun.Outcome.OK, again.outcome(), again.summary());
            int students = env.netypareo().data(DemoEnvironment.FIRST).students().size()
                    + env.netypareo().data(DemoEnvironment.SECOND).students().size();
            assertEquals(students, OneRun.count(store, "SELECT COUNT(*) FROM np_student WHERE gone_at IS NULL"));

            // the apply of a run (one transaction) failing is a store error too
            FailingStore.uninstall(store, "cache_staging");
            FailingStore.install(store, "np_student");
            EmulatedData first = env.netypareo().data(DemoEnvironment.FIRST);
            StudentAccount s = first.students().get(0);
            first.putStudent(new StudentAccount(first.nextStudentCode(), s.login() + "new", "Renamed", "Test",
                    null, s.siteCode(), s.statusCode(), true, null));
            FailingStore.arm(1, "23514", "check constraint broken (test)");
            assertStoreError(OneRun.of(config, "cache"), "store error while applying the run",
                    "SQL state 23514: check constraint broken (test)", secret, store);
            assertEquals(0, OneRun.count(store, "SELECT COUNT(*) FROM np_student WHERE last_name = 'Renamed'"),
                    "nothing of the failed apply is kept");
        }
    }

    private static void assertStoreError(StageRun run, String what, String detail, String secret, String store)
            throws Exception {
        String summary = run.summary();
        assertEquals(StageRun.Outcome.FAILED, run.outcome(), summary);
        assertTrue(summary.contains(what) && summary.contains(detail), summary);
        assertFalse(summary.contains(secret), summary);
        assertFalse(summary.contains(TWICE), summary);
        List<String> reasons = deadLetterReasons(store);
        assertTrue(reasons.stream().noneMatch(r -> r.contains(TWICE) || r.contains(secret)), reasons.toString());
    }
}
