package org.ypsync.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ypsync.EmulatedWorld;
import org.ypsync.Launcher;
import org.ypsync.TestMain;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.Fault;

/**
 * Neither the NetYpareo tokens nor the Moodle token leave the process, during runs that fail in every way they
 * can: NetYpareo 401, 500 (with an error page that echoes the token), timeout, malformed body and a malformed
 * record; Moodle with a revoked token, in maintenance (503), refusing records. Looked for in every log event
 * (every library at DEBUG, before masking), the dead_letter, stage_run and stage_lock tables, every endpoint URI of
 * the context, every JMX attribute and operation answer of ypsync's bean and Camel's MBeans, and the health and
 * metrics endpoints.
 */
@CamelMainTest(mainClass = Launcher.class, useJmx = true, properties = {
        "ypsync.schedule.enabled=false",
        // the tracer prints every exchange's body and headers (a Moodle call's body holds the token)
        "camel.main.tracing=true",
        "netypareo.http.read-timeout-ms=800",
        "netypareo.retry.max-redeliveries=1",
        "netypareo.retry.initial-delay-ms=20",
        "netypareo.retry.max-delay-ms=50",
        "moodle.retry.max-attempts=2",
        "moodle.retry.initial-backoff-ms=10",
        "moodle.retry.max-backoff-ms=20"})
class TokenSecurityTest implements EmulatedWorld.Configured {
    @RegisterExtension
    static final EmulatedWorld WORLD = EmulatedWorld.of(5L, DataSetSize.DEMO,
            TestMain.h2("security")).withManagement();

    private StageRun run(String stage) {
        return runner().run(stage, false, false).get(0);
    }

    @Test
    void noTokenAppearsAnywhereWhileEverythingFails() throws Exception {
        String demoToken = env().properties().get("netypareo.demo.token");
        String cfaToken = env().properties().get("netypareo.cfa34.token");
        String moodleToken = env().moodle().token();
        List<String> tokens = List.of(demoToken, cfaToken, moodleToken);
        List<StageRun> runs = new ArrayList<>();
        StringBuilder seen = new StringBuilder();
        try (OpsLogCapture logs = new OpsLogCapture(Level.DEBUG)) {
            var np = env().netypareo();
            // NetYpareo: token refused, server error whose page echoes the token
            np.fault(DemoEnvironment.FIRST, "utilisateur/apprenants", Fault.status(401));
            np.fault(DemoEnvironment.SECOND, "utilisateur/personnels", Fault.status(500, "text/html",
                    "<html><body>Fatal error for token " + cfaToken + "</body></html>"));
            runs.add(run("cache"));
            np.clearFaults();
            // timeout, malformed body
            np.fault(DemoEnvironment.FIRST, "sites", Fault.delay(Duration.ofMillis(1500)));
            np.fault(DemoEnvironment.SECOND, "utilisateur/apprenants", Fault.malformedBody());
            runs.add(run("cache"));
            np.clearFaults();
            // a malformed record among good ones; then the cache is filled for the Moodle stages
            np.data(DemoEnvironment.FIRST).addRawRecord("utilisateur/apprenants",
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"login\": \"nocode\"}"));
            runs.add(run("cache"));

            // Moodle: maintenance (503), records refused one by one, then a revoked token (fatal; last, as the
            // client refuses every call after a fatal error until the process restarts)
            env().moodle().maintenanceForNextCalls(50);
            runs.add(run("site-cohorts"));
            env().moodle().clearFaults();
            runs.add(run("site-cohorts"));
            env().moodle().moodleErrorForNextCalls("core_user_create_users", 1, "invalid_parameter_exception",
                    "invalidparameter", "Invalid parameter value detected");
            runs.add(run("users"));
            runs.add(run("tutors"));
            runs.add(runner().run("groups", true, false).get(0));
            env().moodle().revokeToken();
            runs.add(run("groups"));

            // the operator's views, while the logs are still captured: every endpoint URI of the context (the
            // http endpoints of netypareoHttp and moodleHttp among them), every JMX attribute
            List<String> uris = context().getEndpoints().stream().map(e -> e.getEndpointUri()).toList();
            assertTrue(uris.stream().anyMatch(u -> u.startsWith("moodleHttp:")), uris.toString());
            assertTrue(uris.stream().anyMatch(u -> u.startsWith("netypareoHttp:")), uris.toString());
            uris.forEach(u -> seen.append(u).append('\n'));
            seen.append(jmx());
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/observe/health", "/observe/metrics", "/observe/info")) {
                seen.append(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + WORLD.managementPort() + path)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.PrintStream print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
            Map<String, String> storeUrl = Map.of("ypsync.store.url", env().properties().get("ypsync.store.url"));
            OpsCommands.status(storeUrl, print);
            OpsCommands.listDeadLetters(null, storeUrl, print);
            seen.append(out.toString(java.nio.charset.StandardCharsets.UTF_8));
            runs.forEach(r -> seen.append(r.summary()).append(r.problems()).append(r.planLines()));
            seen.append(logs.all());
            assertTrue(logs.events().size() > 100, "the capture saw the runs");
        }
        for (String table : List.of("dead_letter", "stage_run", "stage_lock", "cache_status", "np_instance")) {
            seen.append(dump(table));
        }

        // the failures really happened, each of them
        String text = seen.toString();
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "token-security-seen.txt"), text);
        for (String failure : List.of("HTTP 401", "HTTP 500", "within 800 ms", "nocode", "http503",
                "invalidtoken", "invalidparameter", "missing e-mail")) {
            assertTrue(text.contains(failure), "no trace of " + failure + ": the test did not exercise it");
        }
        assertTrue(runs.stream().anyMatch(r -> r.outcome() == StageRun.Outcome.FAILED));
        assertTrue(runs.stream().anyMatch(r -> r.outcome() == StageRun.Outcome.RECORDS_FAILED));
        assertTrue(text.contains("ypsync_moodle_calls_seconds_count{function=\"core_user_create_users\",outcome=\"ok\"}"),
                "the metrics were read");
        assertTrue(text.contains("outcome=\"http_503\""), "the metrics saw the maintenance");
        assertTrue(text.contains("Body: wstoken=****"), "the tracer printed the Moodle calls, masked");
        for (String token : tokens) {
            assertFalse(text.contains(token), "a token leaked: " + context(text, token));
        }
    }

    private static String context(String text, String token) {
        int at = text.indexOf(token);
        return text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 100)).replace(token, "<TOKEN>");
    }

    /** Every attribute of every Camel and Quartz MBean, and the answers of ypsync's operations. */
    private static String jmx() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        StringBuilder sb = new StringBuilder();
        for (String pattern : List.of("org.apache.camel:*", "quartz:*")) {
            for (ObjectName name : server.queryNames(new ObjectName(pattern), null)) {
                for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                    try {
                        sb.append(name).append(' ').append(a.getName()).append('=')
                                .append(String.valueOf(server.getAttribute(name, a.getName()))).append('\n');
                    } catch (Exception | LinkageError e) {
                        sb.append(e.getMessage()).append('\n');
                    }
                }
            }
        }
        ObjectName ypsync = new ObjectName("org.apache.camel:context=ypsync,type=services,name=YpsyncManagement");
        assertTrue(server.isRegistered(ypsync));
        sb.append(server.invoke(ypsync, "dryRun", new Object[]{"users"}, new String[]{String.class.getName()}));
        sb.append(server.invoke(ypsync, "replayDeadLetters", new Object[]{"users"},
                new String[]{String.class.getName()}));
        return sb.toString();
    }

    private String dump(String table) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = store().dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    sb.append(rs.getString(i)).append('|');
                }
                sb.append('\n');
            }
        }
        assertFalse(table.equals("dead_letter") && sb.isEmpty(), "no dead letters: the test did not fail anything");
        return sb.toString();
    }
}
