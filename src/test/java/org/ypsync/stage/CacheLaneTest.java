package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.ypsync.Await;
import org.ypsync.TestMain;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.Fault;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRunner;

/**
 * A fetch gives its NetYpareo lane back once the answer is received whole, before its records are mapped: while the
 * students' answer is being mapped (held here until it is seen), the member calls use every lane of the instance,
 * and never more. The answers are held by Camel's stream cache meanwhile: the big ones in temporary files, deleted
 * when their fetch is done.
 */
class CacheLaneTest {

    @Test
    void aBigAnswerBeingMappedHoldsNoLane() throws Exception {
        try (DemoEnvironment env = DemoEnvironment.start(5L, DataSetSize.SMALL, TestMain.h2("cache-lane"))) {
            // every group-member call takes a little while, so that several are answered at once
            env.netypareo().fault(null, "groupes/", Fault.delay(Duration.ofMillis(40)));
            Map<String, String> config = new HashMap<>(env.properties());
            config.put("netypareo.fetch-concurrency", "3");
            // the small data set's students answer is a few tens of KB: spooled above 4 KB here
            config.put("camel.main.stream-caching-spool-threshold", "4096");
            Main main = TestMain.start(config);
            try {
                CamelContext context = main.getCamelContext();
                AtomicBoolean seen = new AtomicBoolean();
                AtomicInteger spooledWhileMapped = new AtomicInteger();
                // the first students record of the first instance waits until three member calls of that instance
                // were answered at once: impossible if the students' call still held one of its three lanes
                AdviceWith.adviceWith(context, "cache-fetch", a -> a.weaveById("cache-fetch-map").before()
                        .process(e -> {
                            CacheRun.Fetch fetch = e.getProperty(CacheStage.FETCH, CacheRun.Fetch.class);
                            CacheRun run = e.getProperty(CacheStage.RUN, CacheRun.class);
                            if (fetch.kind() == org.ypsync.store.CacheKind.STUDENTS
                                    && run.getInstance().index() == 0 && seen.compareAndSet(false, true)) {
                                try {
                                    Await.until("three member calls at once while the students are mapped",
                                            Duration.ofSeconds(20),
                                            () -> env.netypareo().maxInFlight(DemoEnvironment.FIRST) >= 3);
                                } catch (AssertionError timedOut) {
                                    // an exception the route handles (an Error would never end the exchange)
                                    throw new IllegalStateException(timedOut.getMessage(), timedOut);
                                }
                                File[] files = context.getStreamCachingStrategy().getSpoolDirectory().listFiles();
                                spooledWhileMapped.set(files == null ? 0 : files.length);
                            }
                        }));
                StageRun run = context.getRegistry().lookupByNameAndType("stageRunner", StageRunner.class)
                        .run("cache", false, false).get(0);
                assertEquals(StageRun.Outcome.OK, run.outcome(), run.summary());
                assertTrue(seen.get(), "the students were mapped");
                assertEquals(3, env.netypareo().maxInFlight(DemoEnvironment.FIRST),
                        "at most netypareo.fetch-concurrency calls at once");
                // the students' answer was in a temporary file while it was mapped, and no file is left once the
                // stage is done
                assertTrue(spooledWhileMapped.get() >= 1, "spool files while the students were mapped: "
                        + spooledWhileMapped.get());
                File[] left = context.getStreamCachingStrategy().getSpoolDirectory().listFiles();
                assertTrue(left == null || left.length == 0, "spool files left: " + Arrays.toString(left));
            } finally {
                main.stop();
            }
        }
    }
}
