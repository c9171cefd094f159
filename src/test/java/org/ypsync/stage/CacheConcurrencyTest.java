package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ypsync.EmulatedWorld;
import org.ypsync.Launcher;
import org.ypsync.TestMain;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.Fault;
import org.ypsync.ops.StageRun;

/**
 * The cache stage reads NetYpareo side by side: the emulator counts the requests of each instance it answers at
 * once (a small delay per group-member call makes them overlap). No timing is asserted, only counts and outcomes.
 */
@CamelMainTest(mainClass = Launcher.class, properties = {
        "ypsync.schedule.enabled=false",
        "netypareo.fetch-concurrency=3",
        "netypareo.retry.max-redeliveries=1",
        "netypareo.retry.initial-delay-ms=20",
        "netypareo.retry.max-delay-ms=50"})
class CacheConcurrencyTest implements EmulatedWorld.Configured {
    @RegisterExtension
    static final EmulatedWorld WORLD = EmulatedWorld.of(11L, DataSetSize.SMALL, TestMain.h2("cache-concurrency"));

    @BeforeEach
    void fresh() throws Exception {
        CacheTables.freshStart(this);
        // every group-member call takes a little while, so that several are answered at once
        env().netypareo().fault(null, "groupes/", Fault.delay(Duration.ofMillis(40)));
    }

    private StageRun cache() {
        List<StageRun> runs = runner().run("cache", false, false);
        assertEquals(1, runs.size());
        return runs.get(0);
    }

    private int count(String sql) throws Exception {
        return CacheTables.count(store(), sql);
    }

    private int memberCalls(String instance) {
        return env().netypareo().requestCount(instance, "groupes/");
    }

    @Test
    void callsInFlightPerInstanceNeverExceedTheConfiguredConcurrency() throws Exception {
        StageRun run = cache();
        assertEquals(StageRun.Outcome.OK, run.outcome(), run.summary());
        for (String instance : List.of(DemoEnvironment.FIRST, DemoEnvironment.SECOND)) {
            int max = env().netypareo().maxInFlight(instance);
            assertTrue(max <= 3, instance + ": " + max + " calls at once, netypareo.fetch-concurrency is 3");
            assertTrue(max > 1, instance + ": the calls went one at a time");
            // each group read was asked for its members once, more of them than there are lanes
            int index = instance.equals(DemoEnvironment.FIRST) ? 0 : 1;
            int groups = count("SELECT COUNT(*) FROM np_group WHERE instance_index = " + index);
            assertEquals(groups, memberCalls(instance), instance);
            assertTrue(groups > 3, instance + ": only " + groups + " groups");
        }
        assertEquals(2, count("SELECT COUNT(*) FROM cache_status WHERE outcome = 'OK'"));
    }

    @Test
    void failedMemberCallsAmongManyInFlightLeaveThatInstanceUntouchedAndTheOtherIsApplied() throws Exception {
        assertEquals(StageRun.Outcome.OK, cache().outcome());
        List<Integer> codes = new ArrayList<>();
        try (Connection c = store().dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT code FROM np_group WHERE instance_index = 0 AND family = 'DIPLOMA'"
                     + " ORDER BY code")) {
            while (rs.next()) {
                codes.add(rs.getInt(1));
            }
        }
        assertTrue(codes.size() > 4, "diploma groups read: " + codes);
        // a student renamed on each instance
        for (String instance : List.of(DemoEnvironment.FIRST, DemoEnvironment.SECOND)) {
            var data = env().netypareo().data(instance);
            data.renameStudent(data.students().get(0).code(), "Renamed", "Again");
        }
        // two member calls of instance 0, among the others in flight: one refused, one unavailable to the last retry
        String refused = "groupes/" + codes.get(1) + "/apprenants";
        String unavailable = "groupes/" + codes.get(2) + "/apprenants";
        env().netypareo().clearFaults();
        env().netypareo().resetCounters();
        env().netypareo().fault(DemoEnvironment.FIRST, refused, Fault.status(403));
        env().netypareo().fault(DemoEnvironment.FIRST, unavailable, Fault.status(503));
        env().netypareo().fault(null, "groupes/", Fault.delay(Duration.ofMillis(40)));

        StageRun run = cache();
        assertEquals(StageRun.Outcome.FAILED, run.outcome(), run.summary());
        assertEquals(0, count("SELECT COUNT(*) FROM np_student WHERE instance_index = 0 AND last_name = 'Renamed'"),
                "instance 0 untouched");
        assertEquals(1, count("SELECT COUNT(*) FROM np_student WHERE instance_index = 1 AND last_name = 'Renamed'"),
                "instance 1 applied");
        assertEquals(1, count("SELECT COUNT(*) FROM cache_status WHERE instance_index = 0 AND outcome = 'FAILED'"));
        assertEquals(1, count("SELECT COUNT(*) FROM cache_status WHERE instance_index = 1 AND outcome = 'OK'"));
        assertEquals(0, count("SELECT COUNT(*) FROM cache_staging"), "the runs' staging rows are dropped");
        // retries as before: a 403 is asked once, a 503 once plus one redelivery; each failure a dead letter
        int asked403 = env().netypareo().requestCount(DemoEnvironment.FIRST, refused);
        int asked503 = env().netypareo().requestCount(DemoEnvironment.FIRST, unavailable);
        assertEquals(1, asked403, refused);
        assertTrue(asked503 == 0 || asked503 == 2, unavailable + " asked " + asked503 + " times");
        String problems = String.join("\n", run.problems());
        assertTrue(problems.contains(refused) || problems.contains(unavailable), problems);
        assertEquals(asked503 == 0 ? 1 : 2, store().deadLetters().list("cache").size());
        // the other instance's calls all went through
        assertEquals(count("SELECT COUNT(*) FROM np_group WHERE instance_index = 1"), memberCalls(DemoEnvironment.SECOND));
    }
}
