package org.ypsync.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ypsync.Await;
import org.ypsync.Launcher;
import org.ypsync.store.Store;
import org.ypsync.store.TestDatabases;

/**
 * Two ypsync daemons (two JVMs, the real Launcher) against one PostgreSQL schema with ypsync.cluster.enabled=true
 * share the Quartz schedule: two one-second heartbeat triggers (next to the six stage timers) fire exactly once per
 * second each across both nodes; when the node that fired last is killed (no shutdown: destroyForcibly), the other
 * one takes its triggers over and goes on.
 */
class TwoNodeClusterTest {
    /** Seconds of one-second fires checked while both nodes run. */
    static final int WINDOW_SECONDS = 30;
    /** Fires the survivor must make after the kill. */
    static final int FIRES_AFTER_KILL = 5;
    static final String NEVER = "0 0 0 1 1 ? 2099";

    static final List<String> TRIGGERS = List.of("heartbeat", "heartbeat-2");

    record Fire(String node, String trigger, long scheduled, long fired) {
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyFireRunsOnceOnOneNodeAndTheSurvivorTakesOver() throws Exception {
        String url = TestDatabases.postgres();
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        Path logs = Files.createDirectories(Path.of("target", "cluster-test"));
        List<Process> nodes = new ArrayList<>();
        // the parent migrates the schema first (V10 holds the QRTZ_* tables), then adds the heartbeat's table
        try (Store store = Store.open(url, TestDatabases.POSTGRES_USER, null, 2)) {
            execute(store, Heartbeat.TABLE_DDL);
            long t0 = System.currentTimeMillis();
            Process a = start("A", url, logs);
            Process b = start("B", url, logs);
            nodes.add(a);
            nodes.add(b);

            await(Duration.ofSeconds(90), () -> count(store, "SELECT COUNT(*) FROM qrtz_scheduler_state") == 2
                    && count(store, "SELECT COUNT(*) FROM cluster_fire") > 0, "both nodes checked in and firing", nodes);
            System.out.printf("both nodes up and firing after %d ms%n", System.currentTimeMillis() - t0);
            assertEquals(List.of("node-A", "node-B"), strings(store,
                    "SELECT instance_name FROM qrtz_scheduler_state ORDER BY instance_name"));
            // the stage timers are in the shared store too: the production routes run clustered, not only the test's
            assertTrue(strings(store, "SELECT trigger_name FROM qrtz_triggers").containsAll(
                    List.of("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups", "heartbeat", "heartbeat-2")));

            // while both run: every second of the window fired, exactly once, for each trigger
            long windowStart = (System.currentTimeMillis() / 1000 + 1) * 1000;
            long windowEnd = windowStart + (WINDOW_SECONDS - 1) * 1000L;
            await(Duration.ofSeconds(WINDOW_SECONDS + 30), () -> TRIGGERS.stream().allMatch(t -> fires(store).stream()
                    .anyMatch(f -> f.trigger().equals(t) && f.scheduled() >= windowEnd)), "the window's last fires", nodes);
            List<Fire> window = fires(store).stream()
                    .filter(f -> f.scheduled() >= windowStart && f.scheduled() <= windowEnd).toList();
            Map<String, Long> perNode = window.stream().collect(
                    Collectors.groupingBy(f -> f.node() + "/" + f.trigger(), TreeMap::new, Collectors.counting()));
            System.out.printf("window of %d s, %d triggers: %d fires, per node/trigger %s%n", WINDOW_SECONDS,
                    TRIGGERS.size(), window.size(), perNode);
            for (String t : TRIGGERS) {
                Map<Long, Long> perSecond = window.stream().filter(f -> f.trigger().equals(t)).collect(
                        Collectors.groupingBy(Fire::scheduled, TreeMap::new, Collectors.counting()));
                assertEquals(WINDOW_SECONDS, perSecond.size(), t + ": every second of the window fired: "
                        + perSecond.keySet());
                perSecond.forEach((second, n) -> assertEquals(1L, n, t + " fires of " + second));
            }

            // kill the node that fired last (no shutdown, as when a machine dies)
            Fire last = fires(store).stream().max((x, y) -> Long.compare(x.fired(), y.fired())).orElseThrow();
            Process victim = last.node().equals("A") ? a : b;
            Process alive = victim == a ? b : a;
            String survivor = last.node().equals("A") ? "B" : "A";
            long killedAt = System.currentTimeMillis();
            victim.destroyForcibly();
            assertTrue(victim.waitFor(20, TimeUnit.SECONDS), "node " + last.node() + " is dead");
            Map<String, Long> lastBeforeKill = new TreeMap<>();
            for (Fire f : fires(store)) {
                lastBeforeKill.merge(f.trigger(), f.scheduled(), Math::max);
            }

            await(Duration.ofSeconds(60), () -> TRIGGERS.stream().allMatch(t -> fires(store).stream().filter(f ->
                    f.trigger().equals(t) && f.node().equals(survivor) && f.scheduled() > lastBeforeKill.get(t))
                    .count() >= FIRES_AFTER_KILL),
                    FIRES_AFTER_KILL + " fires of each trigger by node " + survivor + " after the kill", List.of(alive));
            List<Fire> all = fires(store);
            List<Fire> after = all.stream().filter(f -> f.scheduled() > lastBeforeKill.get(f.trigger())).toList();
            assertTrue(after.stream().allMatch(f -> f.node().equals(survivor)), "after the kill only node " + survivor
                    + " fires");
            // the takeover: from the kill to the survivor's first fire of the trigger that waited longest
            long takeover = TRIGGERS.stream().mapToLong(t -> after.stream().filter(f -> f.trigger().equals(t))
                    .mapToLong(Fire::fired).min().orElseThrow()).max().orElseThrow() - killedAt;

            // over the whole run: never twice the same fire; across the kill at most the fire the dead node was
            // running is lost (Quartz does not re-run a job that was executing on a dead node)
            Map<String, Long> everyFire = all.stream().collect(Collectors.groupingBy(
                    f -> f.trigger() + "@" + f.scheduled(), TreeMap::new, Collectors.counting()));
            List<String> duplicates = everyFire.entrySet().stream().filter(e -> e.getValue() > 1)
                    .map(Map.Entry::getKey).toList();
            long missed = 0;
            for (String t : TRIGGERS) {
                List<Long> seconds = all.stream().filter(f -> f.trigger().equals(t) && f.scheduled() >= windowStart)
                        .map(Fire::scheduled).distinct().toList();
                long to = seconds.stream().mapToLong(Long::longValue).max().orElseThrow();
                missed += (to - windowStart) / 1000 + 1 - seconds.size();
            }
            System.out.printf("killed node %s (it fired last); node %s fired every trigger again %d ms after the kill;"
                            + " %d fires in all, %d duplicated, %d missed since the window began%n",
                    last.node(), survivor, takeover, all.size(), duplicates.size(), missed);
            assertEquals(List.of(), duplicates, "fires that ran twice");
            assertTrue(missed <= TRIGGERS.size(), missed + " fires missed: at most one per trigger may be lost");
        } finally {
            for (Process p : nodes) {
                p.destroyForcibly();
                p.waitFor(20, TimeUnit.SECONDS);
            }
            try (var c = java.sql.DriverManager.getConnection(TestDatabases.POSTGRES_URL, TestDatabases.POSTGRES_USER, "");
                 var st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** A ypsync daemon (the jar's main class, no arguments) in a JVM of its own, on this test's class path. */
    static Process start(String node, String url, Path logs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", classPath(),
                "-Dypsync.test.node=" + node,
                "-Dypsync.store.url=" + url,
                "-Dypsync.store.user=" + TestDatabases.POSTGRES_USER,
                "-Dypsync.cluster.enabled=true",
                "-Dypsync.cluster.instance-id=node-" + node,
                // a dead node is noticed after about this plus Quartz's 7.5 s
                "-Dypsync.cluster.checkin-interval-ms=1000",
                "-Dcamel.main.routes-include-pattern=classpath:routes/*.camel.yaml,classpath:cluster/heartbeat.camel.yaml",
                "-Dypsync.test.heartbeat.cron=0/1 * * * * ?",
                // a daemon left behind by a dying test stops by itself
                "-Dcamel.main.duration-max-seconds=300",
                "-Dcamel.main.jmx-enabled=false"));
        for (String stage : List.of("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups", "courses")) {
            cmd.add("-Dsync." + stage + ".cron=" + NEVER);
        }
        cmd.add(Launcher.class.getName());
        File log = logs.resolve("node-" + node + ".log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    }

    /**
     * This test's class path as plain entries: surefire runs tests from a manifest-only jar, whose class path the child
     * would see twice over (Camel then loads each route file twice); surefire also gives the plain list.
     */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        System.out.println("child class path: " + cp.length() + " chars, from "
                + (System.getProperty("surefire.test.class.path") != null ? "surefire.test.class.path" : "java.class.path"));
        return String.join(File.pathSeparator, new java.util.LinkedHashSet<>(List.of(cp.split(File.pathSeparator))));
    }

    static void await(Duration timeout, BooleanSupplier condition, String what, List<Process> mustLive) {
        Await.until(what + " (see target/cluster-test/)", timeout, condition, () -> {
            for (Process p : mustLive) {
                if (!p.isAlive()) {
                    fail("a node died (exit " + p.exitValue() + ") while waiting for " + what
                            + ": see target/cluster-test/");
                }
            }
        });
    }

    static List<Fire> fires(Store store) {
        List<Fire> out = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT node, trigger_name, scheduled_ms, fired_ms FROM cluster_fire ORDER BY scheduled_ms")) {
            while (rs.next()) {
                out.add(new Fire(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static List<String> strings(Store store, String sql) {
        List<String> out = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static long count(Store store, String sql) {
        return Long.parseLong(strings(store, sql).get(0));
    }

    static void execute(Store store, String sql) throws SQLException {
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
