package org.ypsync.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.ypsync.ops.Settings;
import org.ypsync.store.EachDatabase;
import org.ypsync.store.Store;
import org.ypsync.store.TestDatabases;

/**
 * Migration V10 gives both databases tables that Quartz's clustered JDBC job store works on, with the properties
 * ypsync builds: a job is stored, fires, and the node checks in.
 */
class QuartzJobStoreTest {
    static final Map<String, CountDownLatch> FIRED = new ConcurrentHashMap<>();

    public static class CountingJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            FIRED.get(context.getMergedJobDataMap().getString("database")).countDown();
        }
    }

    @EachDatabase
    void clusteredJobStoreRunsOnTheMigratedSchema(String database) throws Exception {
        String url = database.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres();
        String user = database.equals("h2") ? "sa" : TestDatabases.POSTGRES_USER;
        try (Store store = Store.open(url, user, null, 2)) {
            Map<String, String> cfg = new HashMap<>(Map.of("ypsync.cluster.enabled", "true", "ypsync.store.url", url,
                    "ypsync.store.user", user, "ypsync.cluster.checkin-interval-ms", "1000",
                    "ypsync.cluster.instance-id", "node-" + database));
            Properties props = new Properties();
            props.putAll(QuartzCluster.properties(new Settings(k -> Optional.ofNullable(cfg.get(k)))).orElseThrow());
            props.put("org.quartz.scheduler.instanceName", "jobstore-test-" + database);
            props.put("org.quartz.scheduler.skipUpdateCheck", "true");
            CountDownLatch fired = new CountDownLatch(2);
            FIRED.put(database, fired);
            Scheduler scheduler = new StdSchedulerFactory(props).getScheduler();
            try {
                scheduler.start();
                scheduler.scheduleJob(JobBuilder.newJob(CountingJob.class).withIdentity("count", "ypsync")
                                .usingJobData("database", database).build(),
                        TriggerBuilder.newTrigger().withIdentity("count", "ypsync").startNow()
                                .withSchedule(SimpleScheduleBuilder.repeatSecondlyForTotalCount(1000)).build());
                assertTrue(fired.await(20, TimeUnit.SECONDS), "the stored job fired twice");
                assertTrue(scheduler.getMetaData().isJobStoreClustered());
            } finally {
                scheduler.shutdown(true);
            }
            try (Connection c = store.dataSource().getConnection();
                 ResultSet jobs = c.createStatement().executeQuery(
                         "SELECT job_name, job_group FROM qrtz_job_details");
                 ResultSet state = c.createStatement().executeQuery(
                         "SELECT COUNT(*) FROM qrtz_locks")) {
                assertTrue(jobs.next());
                assertEquals("count", jobs.getString(1));
                assertTrue(state.next());
                assertTrue(state.getInt(1) >= 1, "the cluster locks live in the store");
            }
        }
    }
}
