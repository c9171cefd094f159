package org.ypsync.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;
import org.ypsync.Launch;
import org.ypsync.store.Store;
import org.ypsync.store.TestDatabases;

/**
 * ypsync.cluster.enabled in a real Camel Main start: a node with its schedules on gets the clustered job store on
 * its own store (and checks in there); a one-shot command (schedules off) keeps Quartz in memory even so.
 */
class ClusterWiringTest {
    static final String NEVER = "0 0 0 1 1 ? 2099";

    private static Map<String, String> clustered(String url) {
        Map<String, String> p = new HashMap<>(Map.of("ypsync.store.url", url, "ypsync.store.user", "sa",
                "ypsync.cluster.enabled", "true", "ypsync.cluster.instance-id", "wiring-node",
                "camel.main.jmx-enabled", "false"));
        for (String stage : List.of("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups", "courses")) {
            p.put("sync." + stage + ".cron", NEVER);
        }
        return p;
    }

    @Test
    void aNodeWithItsSchedulesJoinsTheClusterOnItsStore() throws Exception {
        String url = TestDatabases.h2();
        Map<String, String> p = clustered(url);
        p.put("ypsync.schedule.enabled", "true");
        int code = Launch.onceWith(p, context -> {
            try {
                QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
                assertTrue(quartz.isClustered());
                assertTrue(quartz.getScheduler().getMetaData().getJobStoreClass().getName().endsWith("JobStoreTX"));
                Store store = context.getRegistry().lookupByNameAndType("ypsyncStore", Store.class);
                assertEquals("cache courses fc-groups groups site-cohorts tutors users",
                        TestDatabases.rows(store, "SELECT trigger_name FROM qrtz_triggers ORDER BY trigger_name"));
                return 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, quiet());
        assertEquals(0, code);
    }

    @Test
    void aOneShotCommandNeverJoins() throws Exception {
        String url = TestDatabases.h2();
        int code = Launch.onceWith(clustered(url), context -> {
            try {
                QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
                assertNull(quartz.getProperties(), "no job store properties given");
                assertFalse(quartz.isClustered());
                return 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, quiet());
        assertEquals(0, code);
        // nor did it touch the cluster's tables
        try (Store store = Store.open(url, "sa", null, 2)) {
            assertEquals("0", TestDatabases.rows(store, "SELECT COUNT(*) FROM qrtz_scheduler_state"));
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
