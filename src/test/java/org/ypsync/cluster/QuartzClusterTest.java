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

    /** Each key of {@code keyValues} (key, value, key, value...) holds its value in {@code p}. */
    private static void assertProperties(Map<String, Object> p, String... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            assertEquals(keyValues[i + 1], p.get(keyValues[i]), keyValues[i]);
        }
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
        assertProperties(p,
                "org.quartz.jobStore.isClustered", "true",
                "org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX",
                "org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate",
                "org.quartz.jobStore.clusterCheckinInterval", "2000",
                "org.quartz.scheduler.instanceId", "AUTO",
                "org.quartz.threadPool.threadCount", "3",
                "org.quartz.jobStore.dataSource", "ypsyncStore",
                "org.quartz.dataSource.ypsyncStore.URL", "jdbc:postgresql://db:5432/ypsync?currentSchema=sync",
                "org.quartz.dataSource.ypsyncStore.user", "ypsync",
                "org.quartz.dataSource.ypsyncStore.password", "s3cret",
                "org.quartz.dataSource.ypsyncStore.driver", "org.postgresql.Driver",
                "org.quartz.dataSource.ypsyncStore.maxConnections", "5");
    }

    @Test
    void defaultsAndH2() {
        Map<String, Object> p = QuartzCluster.properties(settings("ypsync.cluster.enabled", "true",
                "ypsync.store.url", "jdbc:h2:file:./data/ypsync;AUTO_SERVER=TRUE", "ypsync.store.user", " ",
                "ypsync.cluster.instance-id", "node-a")).orElseThrow();
        assertProperties(p,
                "org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate",
                "org.quartz.dataSource.ypsyncStore.driver", "org.h2.Driver",
                "org.quartz.scheduler.instanceId", "node-a",
                "org.quartz.jobStore.clusterCheckinInterval", "5000",
                "org.quartz.threadPool.threadCount", "4");
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
