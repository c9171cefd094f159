package org.ypsync.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ypsync.Await;
import org.ypsync.EmulatedWorld;
import org.ypsync.Launcher;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.RecordStream.Envelope;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.emulator.DataSetGenerator;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.EmulatedData;
import org.ypsync.netypareo.emulator.Fault;
import org.ypsync.store.DeadLetterRepository.DeadLetter;

/**
 * The operator's surface on the real routes, against the emulators, with the store in an H2 file opened with
 * AUTO_SERVER=TRUE as in production: dead letters and their replay (command line and JMX), the stage lock (another
 * node, the same stage fired twice), status and dead-letters from another JVM while this one runs, and the health
 * and metrics endpoints over real HTTP.
 */
@CamelMainTest(mainClass = Launcher.class, useJmx = true, properties = {
        "ypsync.schedule.enabled=false",
        "netypareo.retry.max-redeliveries=0"})
class OperationsRouteTest implements EmulatedWorld.Configured {
    /** An H2 file opened with AUTO_SERVER=TRUE, as in production, so that another JVM can read it. */
    private static final String STORE_URL = "jdbc:h2:file:" + tempDir().resolve("ypsync").toAbsolutePath()
            + ";AUTO_SERVER=TRUE";

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("ypsync-ops");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final EmulatedWorld WORLD = EmulatedWorld.of(11L, DataSetSize.DEMO, STORE_URL).withManagement();

    @BeforeEach
    void fresh() throws Exception {
        env().netypareo().clearFaults();
        env().moodle().clearFaults();
        for (String id : List.of(DemoEnvironment.FIRST, DemoEnvironment.SECOND)) {
            int index = id.equals(DemoEnvironment.FIRST) ? 0 : 1;
            env().netypareo().addInstance(id, env().properties().get("netypareo." + id + ".token"),
                    index == 0 ? Envelope.KEYED : Envelope.ARRAY, DataSetGenerator.generate(11L + index, index,
                            DataSetSize.DEMO));
        }
        try (Connection c = store().dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String t : List.of("dead_letter", "stage_run", "stage_lock")) {
                st.execute("DELETE FROM " + t);
            }
        }
    }

    private StageRun run(String stage) {
        return runner().run(stage, false, false).get(0);
    }

    private EmulatedData first() {
        return env().netypareo().data(DemoEnvironment.FIRST);
    }

    /** Active students of the first instance with an e-mail of their own (the data set has some without). */
    private List<Integer> wellFormedStudents() {
        List<StudentAccount> all = first().students();
        return all.stream().filter(StudentAccount::active)
                .filter(s -> s.email() != null && s.email().contains("@") && !s.email().startsWith("famille."))
                .filter(s -> all.stream().filter(o -> s.email().equals(o.email())).count() == 1)
                .map(StudentAccount::code).toList();
    }

    @Test
    void aReplayedRecordThatNowSucceedsLeavesAndOneThatFailsAgainStaysWithItsNewReason() throws Exception {
        int fixed = wellFormedStudents().get(0);
        int broken = wellFormedStudents().get(1);
        first().setStudentEmail(fixed, "");
        first().setStudentEmail(broken, "");
        assertEquals(StageRun.Outcome.OK, run("cache").outcome());
        StageRun users = run("users");
        assertEquals(StageRun.Outcome.RECORDS_FAILED, users.outcome(), users.summary());
        List<DeadLetter> before = store().deadLetters().list("users");
        assertTrue(before.stream().anyMatch(d -> d.recordKey().equals("student " + fixed)), before.toString());
        assertTrue(before.stream().anyMatch(d -> d.recordKey().equals("student " + broken)), before.toString());
        assertTrue(before.stream().allMatch(d -> d.attempts() == 1));
        int others = before.size() - 2;  // the data set's own records without a usable e-mail

        // the operator fixes one e-mail in NetYpareo; the cache takes it in; the replay re-runs "users"
        first().setStudentEmail(fixed, "fixed.student@example.org");
        first().setStudentEmail(broken, "not-an-email");
        run("cache");
        List<DeadLetterReplay.Result> results = new DeadLetterReplay(runner(), store().deadLetters()).replay(null);
        assertEquals(1, results.size(), "only the stage that owns dead letters is re-run");
        DeadLetterReplay.Result r = results.get(0);
        assertEquals("users", r.stage());
        assertEquals(others + 2, r.before());
        assertEquals(1, r.resolved());
        assertEquals(others + 1, r.stillFailing());
        assertEquals(0, r.newFailures());
        assertEquals("users: " + (others + 2) + " dead letter(s) replayed: 1 resolved, " + (others + 1)
                + " still failing (run RECORDS_FAILED)", r.line());

        List<DeadLetter> after = store().deadLetters().list("users");
        assertTrue(after.stream().noneMatch(d -> d.recordKey().equals("student " + fixed)), "the fixed one left");
        DeadLetter still = after.stream().filter(d -> d.recordKey().equals("student " + broken)).findFirst().orElseThrow();
        assertEquals(2, still.attempts());
        assertTrue(still.reason().contains("not-an-email"), still.reason());
        assertTrue(after.stream().allMatch(d -> d.attempts() == 2), "every record still failing was tried again");
        assertTrue(env().moodle().users().stream().anyMatch(u -> "fixed.student@example.org".equals(u.email())),
                "the fixed record reached Moodle");

        // the same through the JMX bean: fails again, attempts 3
        var server = ManagementFactory.getPlatformMBeanServer();
        ObjectName bean = new ObjectName("org.apache.camel:context=ypsync,type=services,name=YpsyncManagement");
        Object answer = server.invoke(bean, "replayDeadLetters", new Object[]{"users"},
                new String[]{String.class.getName()});
        assertEquals("users: " + (others + 1) + " dead letter(s) replayed: 0 resolved, " + (others + 1)
                + " still failing (run RECORDS_FAILED)", answer);
        assertEquals(3, store().deadLetters().list("users").stream()
                .filter(d -> d.recordKey().equals("student " + broken)).findFirst().orElseThrow().attempts());
        assertEquals(Map.of("users", others + 1), server.getAttribute(bean, "DeadLetters"));
        @SuppressWarnings("unchecked")
        Map<String, String> history = (Map<String, String>) server.getAttribute(bean, "RunHistory");
        assertTrue(history.get("users").contains(" RECORDS_FAILED (read "), history.toString());
        assertTrue(history.get("cache").contains(" OK (read "), history.toString());
    }

    @Test
    void aStageHeldByAnotherNodeIsRefusedWithItsOwnerAndTime() {
        Instant since = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        assertTrue(store().locks().tryAcquire("users", "node-b (pid 4242)#1234abcd", since,
                since.plusSeconds(600))
                .isEmpty());
        StageRun refused = run("users");
        assertEquals(StageRun.Outcome.FAILED, refused.outcome());
        assertEquals(List.of("stage users is already running on node-b (pid 4242) since " + since), refused.problems());
        assertEquals(0, refused.counts().read(), "nothing of the stage ran");
        assertEquals("FAILED", store().runs().last("users").orElseThrow().outcome(),
                "the refusal is in the history");
        assertEquals("node-b (pid 4242)#1234abcd", store().locks().find("users").orElseThrow().owner(),
                "the other node's lock is left alone");
        store().locks().release("users", "node-b (pid 4242)#1234abcd");
        assertEquals(StageRun.Outcome.OK, run("site-cohorts").outcome());
    }

    @Test
    void theSameStageFiredTwiceAtOnceRunsOnce() throws Exception {
        env().netypareo().fault(DemoEnvironment.SECOND, "utilisateur/personnels", Fault.delay(Duration.ofMillis(1500)));
        CompletableFuture<StageRun> firstRun = CompletableFuture.supplyAsync(() -> run("cache"));
        Await.until("lock taken by the first run", Duration.ofSeconds(20),
                () -> store().locks().find("cache").isPresent());
        StageRun second = run("cache");
        assertEquals(StageRun.Outcome.FAILED, second.outcome());
        assertTrue(second.problems().get(0).startsWith("stage cache is already running on "), second.problems().toString());
        StageRun one = firstRun.get(30, TimeUnit.SECONDS);
        assertEquals(StageRun.Outcome.OK, one.outcome(), one.summary());
        assertTrue(store().locks().find("cache").isEmpty(), "released at the end");
        assertEquals(StageRun.Outcome.OK, run("cache").outcome(), "and free again");
    }

    @Test
    void statusAndDeadLettersWorkFromAnotherJvmWhileThisOneHoldsTheStore() throws Exception {
        run("cache");
        run("users");
        int dead = store().deadLetters().count("users");
        assertTrue(dead > 0, "the data set has records Moodle would refuse");

        Cli status = cli("status");
        assertEquals(0, status.code, status.out);
        assertTrue(status.out.matches("(?s).*\\ncache +\\S+ \\S+ +\\S+ \\S+ +OK +\\d+ .*"), status.out);
        assertTrue(status.out.matches("(?s).*\\nusers +.* RECORDS_FAILED .*"), status.out);
        assertTrue(status.out.contains("site-cohorts  never run"), status.out);
        assertTrue(status.out.contains("Dead letters: users " + dead), status.out);
        assertTrue(status.out.contains("Test Ymag") && status.out.contains("CFA Montpellier"), status.out);
        assertTrue(status.out.contains("Running now: nothing"), status.out);

        Cli list = cli("dead-letters", "list");
        assertEquals(0, list.code, list.out);
        assertTrue(list.out.contains("missing e-mail"), list.out);
        assertTrue(list.out.contains(dead + " dead letter(s)"), list.out);
        for (String token : tokens()) {
            assertFalse(status.out.contains(token) || list.out.contains(token), "a token was printed");
        }

        // and in this JVM, with the light path
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OpsCommands.status(Map.of("ypsync.store.url", STORE_URL), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("Dead letters: users " + dead));
    }

    @Test
    void healthAndMetricsAnswerOverHttpWithYpsyncChecksAndMeters() throws Exception {
        run("cache");
        StageRun users = run("users");
        int dead = store().deadLetters().count("users");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = get(http, "/observe/health");
        assertEquals(200, health.statusCode(), health.body());
        for (String check : List.of("ypsync-store", "ypsync-moodle", "ypsync-stage-cache", "ypsync-stage-users",
                "ypsync-stage-fc-groups")) {
            assertTrue(health.body().contains("\"" + check + "\""), check + " in " + health.body());
        }
        assertTrue(health.body().contains("\"status\": \"UP\"") || health.body().contains("\"status\":\"UP\""),
                health.body());

        HttpResponse<String> metrics = get(http, "/observe/metrics");
        assertEquals(200, metrics.statusCode());
        String m = metrics.body();
        for (String line : List.of(
                "ypsync_records_total{outcome=\"failed\",stage=\"users\"} " + users.counts().failed() + ".0",
                "ypsync_records_total{outcome=\"created\",stage=\"users\"} " + users.counts().created() + ".0",
                "ypsync_dead_letters{stage=\"users\"} " + dead + ".0",
                "ypsync_stage_runs_total{outcome=\"RECORDS_FAILED\",stage=\"users\"} 1.0",
                "ypsync_moodle_calls_seconds_count{function=\"core_user_create_users\",outcome=\"ok\"}",
                "ypsync_netypareo_calls_seconds_count{endpoint=\"students\",instance=\"demo\",outcome=\"ok\"} 1",
                "ypsync_netypareo_calls_seconds_count{endpoint=\"group-members\",instance=\"cfa34\",outcome=\"ok\"}",
                "camel_exchanges_total")) {
            assertTrue(m.contains(line), line + " missing from the metrics: " + m.lines()
                    .filter(l -> l.startsWith("ypsync_")).toList());
        }

        // a stage whose last run failed makes the service unhealthy, and says which and why
        store().locks().tryAcquire("groups", "node-b (pid 1)#00000000", Instant.now(),
                Instant.now().plusSeconds(600));
        run("groups");
        HttpResponse<String> down = get(http, "/observe/health");
        assertEquals(503, down.statusCode(), down.body());
        assertTrue(down.body().contains("groups failed at its last run: stage groups is already running on node-b"),
                down.body());
    }

    private static HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + WORLD.managementPort() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> tokens() {
        return List.of(env().properties().get("netypareo.demo.token"), env().properties().get("netypareo.cfa34.token"),
                env().properties().get("moodle.token"));
    }

    record Cli(int code, String out) {
    }

    /** The real command line in another JVM, as an operator runs it next to the daemon. */
    private Cli cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "-Dypsync.store.url=" + STORE_URL));
        env().properties().forEach((k, v) -> {
            if (!k.equals("ypsync.store.url")) {
                cmd.add("-D" + k + "=" + v);
            }
        });
        cmd.add(Launcher.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Cli(p.exitValue(), out);
    }
}
