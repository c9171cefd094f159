package org.ypsync.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.ypsync.Launch;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.emulator.DataSetSize;

/**
 * A long run says how far it got: the cache stage every 1,000 records streamed in, a Moodle stage of 1,000 records
 * or more every tenth; "run all" ends with one summary table of the stages.
 */
class ProgressReportTest {

    @Test
    void longStagesReportProgressAndRunAllEndsWithASummaryTable() throws Exception {
        try (DemoEnvironment env = DemoEnvironment.start(3L, DataSetSize.ofStudents(600),
                "jdbc:h2:mem:progress-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
             OpsLogCapture logs = new OpsLogCapture(Level.INFO)) {
            Map<String, String> config = new HashMap<>(env.properties());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            long start = System.nanoTime();
            int code = Launch.once(config, runner -> {
                List<StageRun> runs = runner.run("all", false, false);
                new PrintStream(bytes, true, StandardCharsets.UTF_8).print(OpsCommands.runTable(runs));
                return runs;
            }, System.out);
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.println("ProgressReportTest: run all of 2 x 600 students in " + ms + " ms");
            assertTrue(code <= 1, "exit code " + code);

            List<String> report = logs.lines("ypsync.report");
            List<String> cache = report.stream().filter(l -> l.matches("  cache: [0-9,]+ records read")).toList();
            assertTrue(cache.size() >= 2, report.toString());
            // one line each time a batch takes the count past a thousand
            int previous = 0;
            for (String l : cache) {
                int n = Integer.parseInt(l.replaceAll("[^0-9]", ""));
                assertTrue(n / 1000 > previous / 1000, cache.toString());
                previous = n;
            }
            List<String> users = report.stream().filter(l -> l.matches("  users: \\d+ % \\([0-9,]+ of [0-9,]+ records done\\)"))
                    .toList();
            assertTrue(users.size() >= 3, "users progress: " + report.stream().filter(l -> l.contains("users")).toList());
            // each line further than the one before
            int last = -1;
            for (String l : users) {
                int pct = Integer.parseInt(l.replaceAll("^  users: (\\d+) %.*", "$1"));
                assertTrue(pct > last && pct < 100, users.toString());
                last = pct;
            }
            assertTrue(report.stream().noneMatch(l -> l.startsWith("  site-cohorts: ") && l.contains(" % (")),
                    "a short stage has no progress lines");

            String table = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(table.contains("stage         start"), table);
            for (String stage : StageRunner.STAGES) {
                assertTrue(table.lines().anyMatch(l -> l.startsWith(stage + " ")), stage + " in\n" + table);
            }
        }
    }
}
