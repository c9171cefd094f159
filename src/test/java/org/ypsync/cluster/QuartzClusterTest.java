package org.ypsync.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ypsync.ops.Settings;

/** The Quartz properties a node gets from ypsync's keys. */
class QuartzClusterTest {
    private static Settings settings(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new Settings(k -> Optional.ofNullable(m.get(k)));
    }

    @Test
    void offByDefault() {
        assertTrue(QuartzCluster.properties(settings("ypsync.store.url", "jdbc:postgresql://db/ypsync")).isEmpty());
        assertTrue(QuartzCluster.properties(settings("ypsync.cluster.enabled", "false",
                "ypsync.store.url", "jdbc:postgresql://db/ypsync")).isEmpty());
    }

    @Test
    void oneShotCommandsNeverJoin() {
        // run/check start Camel with the schedules off: such a process must not take a fire from the cluster
        assertFalse(QuartzCluster.enabled(settings("ypsync.cluster.enabled", "true", "ypsync.schedule.enabled", "false",
                "ypsync.store.url", "jdbc:postgresql://db/ypsync")));
    }

    @Test
    void clusteredJobStoreOnTheStoreDatabase() {
        Map<String, Object> p = QuartzCluster.properties(settings("ypsync.cluster.enabled", "true",
                "ypsync.schedule.enabled", "true",
                "ypsync.store.url", "jdbc:postgresql://db:5432/ypsync?currentSchema=sync",
                "ypsync.store.user", "ypsync", "ypsync.store.password", "s3cret",
                "ypsync.cluster.checkin-interval-ms", "2000", "ypsync.cluster.thread-count", "3")).orElseThrow();
        assertEquals("true", p.get("org.quartz.jobStore.isClustered"));
        assertEquals("org.quartz.impl.jdbcjobstore.JobStoreTX", p.get("org.quartz.jobStore.class"));
        assertEquals("org.quartz.impl.jdbcjobstore.PostgreSQLDelegate", p.get("org.quartz.jobStore.driverDelegateClass"));
        assertEquals("2000", p.get("org.quartz.jobStore.clusterCheckinInterval"));
        assertEquals("AUTO", p.get("org.quartz.scheduler.instanceId"));
        assertEquals("3", p.get("org.quartz.threadPool.threadCount"));
        assertEquals("ypsyncStore", p.get("org.quartz.jobStore.dataSource"));
        assertEquals("jdbc:postgresql://db:5432/ypsync?currentSchema=sync", p.get("org.quartz.dataSource.ypsyncStore.URL"));
        assertEquals("ypsync", p.get("org.quartz.dataSource.ypsyncStore.user"));
        assertEquals("s3cret", p.get("org.quartz.dataSource.ypsyncStore.password"));
        assertEquals("org.postgresql.Driver", p.get("org.quartz.dataSource.ypsyncStore.driver"));
        assertEquals("5", p.get("org.quartz.dataSource.ypsyncStore.maxConnections"));
    }

    @Test
    void defaultsAndH2() {
        Map<String, Object> p = QuartzCluster.properties(settings("ypsync.cluster.enabled", "true",
                "ypsync.store.url", "jdbc:h2:file:./data/ypsync;AUTO_SERVER=TRUE", "ypsync.store.user", " ",
                "ypsync.cluster.instance-id", "node-a")).orElseThrow();
        assertEquals("org.quartz.impl.jdbcjobstore.StdJDBCDelegate", p.get("org.quartz.jobStore.driverDelegateClass"));
        assertEquals("org.h2.Driver", p.get("org.quartz.dataSource.ypsyncStore.driver"));
        assertEquals("node-a", p.get("org.quartz.scheduler.instanceId"));
        assertEquals("5000", p.get("org.quartz.jobStore.clusterCheckinInterval"));
        assertEquals("4", p.get("org.quartz.threadPool.threadCount"));
        assertFalse(p.containsKey("org.quartz.dataSource.ypsyncStore.user"), "blank user left out");
        assertFalse(p.containsKey("org.quartz.dataSource.ypsyncStore.password"));
    }

    @Test
    void refusesOtherDatabasesAndBadNumbers() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> QuartzCluster.properties(
                settings("ypsync.cluster.enabled", "true", "ypsync.store.url", "jdbc:mysql://db/ypsync?password=x")));
        assertTrue(e.getMessage().contains("jdbc:mysql://db/ypsync"), e.getMessage());
        assertFalse(e.getMessage().contains("password=x"), "URL parameters never in a message");
        assertThrows(IllegalStateException.class, () -> QuartzCluster.properties(settings("ypsync.cluster.enabled",
                "true", "ypsync.store.url", "jdbc:h2:mem:x", "ypsync.cluster.checkin-interval-ms", "0")));
        assertThrows(IllegalStateException.class, () -> QuartzCluster.properties(settings("ypsync.cluster.enabled",
                "true", "ypsync.store.url", "jdbc:h2:mem:x", "ypsync.cluster.thread-count", "four")));
    }
}
