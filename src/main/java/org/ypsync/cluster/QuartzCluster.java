package org.ypsync.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ypsync.ops.Settings;

/**
 * Quartz clustering: when {@code ypsync.cluster.enabled=true}, every stage schedule lives in a JDBC job store on the
 * store's own database (the QRTZ_* tables of migration V10), shared by every ypsync node that points at the same
 * database, so each trigger fires on one node only and a surviving node takes over the triggers of a dead one.
 * Off by default: a single node keeps Quartz's in-memory store.
 */
public final class QuartzCluster {
    private static final Logger LOG = LoggerFactory.getLogger(QuartzCluster.class);

    /** The Quartz DataSource name in the properties below. */
    static final String DATA_SOURCE = "ypsyncStore";
    static final String DEFAULT_INSTANCE_ID = "AUTO";
    static final int DEFAULT_THREAD_COUNT = 4;
    static final long DEFAULT_CHECKIN_INTERVAL_MS = 5000;

    private QuartzCluster() {
    }

    /**
     * Whether this node joins the cluster: clustering is configured and the schedules are on. A one-shot command
     * ({@code run}, {@code check}: schedules off) must not join, or its scheduler could take a fire of the cluster
     * and lose it when the command exits.
     */
    public static boolean enabled(Settings settings) {
        return flag(settings, "ypsync.cluster.enabled", false) && flag(settings, "ypsync.schedule.enabled", true);
    }

    /**
     * The Quartz properties of a clustered JDBC job store on the store's database (same URL, user and password as
     * {@code ypsync.store.*}, in a small pool of Quartz's own), or empty when this node does not join a cluster.
     *
     * @throws IllegalStateException when clustering is on and the store is neither PostgreSQL nor H2, or a number
     *         is not a positive number
     */
    public static Optional<Map<String, Object>> properties(Settings settings) {
        if (!enabled(settings)) {
            return Optional.empty();
        }
        String url = settings.required("ypsync.store.url");
        int threads = positive(settings, "ypsync.cluster.thread-count", DEFAULT_THREAD_COUNT);
        long checkin = positive(settings, "ypsync.cluster.checkin-interval-ms", DEFAULT_CHECKIN_INTERVAL_MS);

        Map<String, Object> p = new LinkedHashMap<>();
        // camel-quartz appends "-<camel.main.name>": every node of one cluster must share camel.main.name
        p.put("org.quartz.scheduler.instanceName", "ypsync");
        p.put("org.quartz.scheduler.instanceId", settings.optional("ypsync.cluster.instance-id").orElse(DEFAULT_INSTANCE_ID));
        p.put("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.put("org.quartz.threadPool.threadCount", String.valueOf(threads));
        p.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.put("org.quartz.jobStore.driverDelegateClass", delegate(url));
        p.put("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.put("org.quartz.jobStore.isClustered", "true");
        p.put("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkin));
        p.put("org.quartz.jobStore.dataSource", DATA_SOURCE);
        String ds = "org.quartz.dataSource." + DATA_SOURCE + ".";
        p.put(ds + "provider", "hikaricp");
        p.put(ds + "driver", driver(url));
        p.put(ds + "URL", url);
        settings.optional("ypsync.store.user").ifPresent(u -> p.put(ds + "user", u));
        settings.optional("ypsync.store.password").ifPresent(pw -> p.put(ds + "password", pw));
        // Quartz's advice for a clustered store: a connection per worker thread plus two for its own housekeeping
        p.put(ds + "maxConnections", String.valueOf(threads + 2));
        return Optional.of(p);
    }

    /**
     * Gives the Quartz component of {@code context} the clustered job store when this node joins a cluster; call it
     * before the context starts (the scheduler is created when the component starts). Returns whether it did.
     */
    public static boolean configure(CamelContext context, Settings settings) {
        Optional<Map<String, Object>> props = properties(settings);
        if (props.isEmpty()) {
            return false;
        }
        context.getComponent("quartz", QuartzComponent.class).setProperties(props.get());
        LOG.info("Quartz clustering on: schedules shared through the QRTZ_* tables of {}, instance id {}, check-in every {} ms",
                withoutParameters(settings.required("ypsync.store.url")),
                props.get().get("org.quartz.scheduler.instanceId"),
                props.get().get("org.quartz.jobStore.clusterCheckinInterval"));
        return true;
    }

    static String delegate(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate";
        }
        if (url.startsWith("jdbc:h2:")) {
            return "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
        }
        throw new IllegalStateException("ypsync.cluster.enabled=true needs the store (ypsync.store.url) on PostgreSQL"
                + " or H2, not " + withoutParameters(url));
    }

    static String driver(String url) {
        return url.startsWith("jdbc:postgresql:") ? "org.postgresql.Driver" : "org.h2.Driver";
    }

    /** The URL for a log line: parameters (which may carry a password) cut off. */
    static String withoutParameters(String url) {
        int cut = url.length();
        for (char c : new char[] {'?', ';'}) {
            int i = url.indexOf(c);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        return url.substring(0, cut);
    }

    private static boolean flag(Settings settings, String key, boolean fallback) {
        return settings.optional(key).map(Boolean::parseBoolean).orElse(fallback);
    }

    private static long positive(Settings settings, String key, long fallback) {
        long v;
        try {
            v = settings.optional(key).map(Long::parseLong).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("configuration key '" + key + "' is not a number");
        }
        if (v <= 0) {
            throw new IllegalStateException("configuration key '" + key + "' must be positive");
        }
        return v;
    }

    private static int positive(Settings settings, String key, int fallback) {
        return Math.toIntExact(positive(settings, key, (long) fallback));
    }
}
