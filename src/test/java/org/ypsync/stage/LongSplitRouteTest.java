package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ypsync.EmulatedWorld;
import org.ypsync.Launcher;
import org.ypsync.TestMain;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.ops.StageRun;

/**
 * Every stage over splits much longer than a batch (batches of 10, a few hundred records each), with three Moodle
 * batches in flight at once, run in a thread with a 256 KB stack: every split goes through, and every batch of a
 * split is written before the stage's next step (the site cohort members need the ids of the users just created),
 * so that a second run finds nothing to write. With the cache batches written in the caller's own thread, the
 * cache stage went one stack level deeper per group-member fetch (see BatchExecutor) and overflowed here.
 */
@CamelMainTest(mainClass = Launcher.class, useJmx = true, properties = {
        "ypsync.schedule.enabled=false",
        "ypsync.cache.batch-size=10",
        "moodle.max-records-per-batch=10",
        "moodle.max-records-per-batch.core_user_update_users=10",
        "moodle.max-records-per-batch.core_cohort_add_cohort_members=10",
        "moodle.max-records-per-batch.core_cohort_delete_cohort_members=10",
        "moodle.write-concurrency=3"})
class LongSplitRouteTest implements EmulatedWorld.Configured {
    // 130 groups per instance: the cache reads the members of each group, one fetch (and one split) per group
    @RegisterExtension
    static final EmulatedWorld WORLD = EmulatedWorld.of(11L, new DataSetSize(3, 300, 20, 60, 100, 30),
            TestMain.h2("long-split"));

    private List<StageRun> runAllInSmallStack() throws InterruptedException {
        AtomicReference<List<StageRun>> runs = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                runs.set(runner().run("all", false, false));
            } catch (Throwable e) {
                error.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join(TimeUnit.MINUTES.toMillis(10));
        assertFalse(t.isAlive(), "the run has not ended within 10 minutes");
        assertNull(error.get(), () -> "the run failed: " + error.get());
        return runs.get();
    }

    @Test
    void longSplitsGoThroughAndEveryBatchIsWrittenBeforeTheNextStep() throws Exception {
        List<StageRun> first = runAllInSmallStack();
        for (StageRun r : first) {
            assertNotEquals(StageRun.Outcome.FAILED, r.outcome(), r.summary());
        }
        StageRun cache = first.get(0);
        assertTrue(cache.counts().read() > 1000, cache.summary());
        StageRun users = first.stream().filter(r -> r.stage().equals("users")).findFirst().orElseThrow();
        assertTrue(users.counts().created() > 300, users.summary());
        assertTrue(env().moodle().calls("core_user_create_users") >= users.counts().created() / 10);

        env().moodle().resetCounters();
        List<StageRun> second = runAllInSmallStack();
        second.forEach(r -> assertNotEquals(StageRun.Outcome.FAILED, r.outcome(), r.summary()));
        assertEquals(0, env().moodle().totalWriteCalls(), "a second run writes nothing");
    }
}
