package org.ypsync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The emulators' child JVM: it starts, serves on loopback, answers the control calls and is gone afterwards. */
class EmulatorProcessTest {
    private static final Pattern PID = Pattern.compile("child JVM pid (\\d+)");

    @Test
    void theChildServesAnswersTheControlCallsAndEndsWithTheBench() throws Exception {
        Bench.Options o = Bench.Options.parse(List.of("--netypareo-latency", "1", "--netypareo-kb-latency", "0.01",
                "--moodle-latency", "0", "--moodle-item-latency", "0"));
        long pid;
        try (EmulatorProcess child = EmulatorProcess.start(1, BenchSize.S, o, 128)) {
            pid = child.pid();
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            Map<String, String> p = child.properties();
            assertTrue(p.get("netypareo.demo.base-url").startsWith("http://127.0.0.1:"), p.toString());
            assertTrue(p.get("moodle.url").startsWith("http://127.0.0.1:"), p.toString());
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> sites = http.send(HttpRequest.newBuilder(URI.create(p.get("netypareo.demo.base-url")
                    + "index.php/r/v1/sites")).header("X-Auth-Token", p.get("netypareo.demo.token")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, sites.statusCode());
            HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create(p.get("moodle.url")
                    + "/webservice/rest/server.php?moodlewsrestformat=json&wsfunction=core_webservice_get_site_info"
                    + "&wstoken=" + p.get("moodle.token"))).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(info.body().contains("sitename"), info.body());

            EmulatorProcess.Counters c = child.counters();
            assertEquals(List.of(new CacheFloor.Served("demo", "sites", 1, sites.body()
                    .getBytes(StandardCharsets.UTF_8).length)), c.served());
            assertEquals(1L, c.moodleCalls().get("core_webservice_get_site_info"));
            assertEquals(0L, c.moodleRows().get("core_user_create_users"));
            child.resetCounters();
            assertEquals(List.of(), child.counters().served());
            assertEquals(Map.of(), child.counters().moodleCalls());
            Map<String, String> churn = child.churn(3, 0.05);
            assertEquals(List.of("demo", "cfa34"), List.copyOf(churn.keySet()));
            assertTrue(churn.get("demo").startsWith("Mutation["), churn.toString());
            assertTrue(child.heapBytes() > 0);
        }
        assertGone(pid);
    }

    /** About 35 s on the shared development machine, over the ~20 s budget: run with -Dypsync.test.bench=true. */
    @Test
    @EnabledIfSystemProperty(named = "ypsync.test.bench", matches = "true")
    void aTinyBenchRunsItsThreePhasesExitsZeroWithDeadLettersAndLeavesNoChild() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Bench.run(List.of("--size", "S", "--moodle-latency", "0", "--moodle-item-latency", "0",
                "--netypareo-latency", "1", "--netypareo-kb-latency", "0.01", "--emulator-heap", "192"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertTrue(out.contains("=== Phase 3/3 re-run after 5 % churn: RECORDS_FAILED"), out);
        assertTrue(out.contains("groupes/{group}/apprenants"), out);
        String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("bench: size=S ") && last.contains(" rerun_writes=0 ")
                && last.contains(" cache_ratio="), last);
        assertGone(pid(out));
    }

    @Test
    void aBenchThatFailsExitsNonZeroAndLeavesNoChild() throws Exception {
        Path notADirectory = Files.createTempFile("ypsync-bench", ".file");
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Bench.Options o = Bench.Options.parse(List.of("--netypareo-latency", "0", "--emulator-heap", "128"));
            // a store Flyway cannot create: ypsync does not start, no stage completes
            int code = Bench.run(o, "jdbc:h2:file:" + notADirectory.resolve("ypsync") + ";IFEXISTS=FALSE",
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(2, code, out);
            assertGone(pid(out));
        } finally {
            Files.deleteIfExists(notADirectory);
        }
    }

    private static long pid(String out) {
        Matcher m = PID.matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    private static void assertGone(long pid) throws Exception {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent()) {
            // close() already waited for it; a process that ended may still be reaped a moment later
            h.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
    }
}
