package org.ypsync.demo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.ypsync.Launcher;
import org.ypsync.moodle.emulator.MoodleEmulator;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRunner;

/**
 * {@code java -jar ypsync.jar demo}: the built-in emulators on loopback (two NetYpareo instances and a Moodle), an
 * H2 store under ./data/demo, every stage once, then every stage again to show that an unchanged run writes
 * nothing. Needs no network and no configuration.
 */
public final class Demo {
    static final Path DIR = Path.of("data", "demo");
    static final String STORE = "jdbc:h2:file:./data/demo/ypsync;AUTO_SERVER=TRUE";

    private Demo() {
    }

    public static int run(PrintStream out) throws Exception {
        // The emulated Moodle starts empty every time, so the demo's store starts empty too.
        deleteTree(DIR);
        try (DemoEnvironment env = DemoEnvironment.start(20261125L, DataSetSize.DEMO, STORE)) {
            MoodleEmulator moodle = env.moodle();
            out.println("ypsync demo: NetYpareo emulator on 127.0.0.1:" + env.netypareo().port() + " (instances '"
                    + DemoEnvironment.FIRST + "' and '" + DemoEnvironment.SECOND + "'), Moodle emulator at "
                    + moodle.url() + ", store " + STORE);
            int code = Launcher.once(env.properties(), runner -> {
                List<StageRun> runs = new ArrayList<>();
                out.println();
                out.println("=== First run: every stage, in order");
                runs.addAll(runner.run("all", false, false));
                out.println("Moodle calls: " + moodle.callsByFunction() + ", write calls " + moodle.totalWriteCalls());
                moodle.resetCounters();
                out.println();
                out.println("=== Second run: nothing changed in NetYpareo, so nothing is written to Moodle");
                runs.addAll(runner.run("all", false, false));
                out.println("Moodle calls: " + moodle.callsByFunction() + ", write calls " + moodle.totalWriteCalls());
                out.println();
                out.println("Moodle now holds " + moodle.users().size() + " users and " + moodle.cohorts().size()
                        + " cohorts.");
                // the second run met the same refused people again: count them once
                int deadLetters = runs.subList(runs.size() / 2, runs.size()).stream()
                        .mapToInt(r -> r.counts().failed()).sum();
                if (StageRunner.outcome(runs) == StageRun.Outcome.RECORDS_FAILED) {
                    out.println("The demo data has missing and shared e-mails, as real CFA data does: those people were"
                            + " refused before Moodle saw them (" + deadLetters + " dead letters;"
                            + " 'java -jar target/ypsync.jar dead-letters list' with -Dypsync.store.url=" + STORE
                            + " shows them).");
                }
                return runs;
            }, out);
            // Refused records are part of the demonstration; only a failed stage makes the demo fail.
            return code == StageRun.Outcome.FAILED.exitCode() ? code : 0;
        }
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
