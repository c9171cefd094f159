package org.ypsync.demo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ypsync.Launch;
import org.ypsync.moodle.emulator.MoodleEmulator;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRunner;

/**
 * {@code java -jar ypsync.jar demo}: the built-in emulators on loopback (two NetYpareo instances and a stock Moodle,
 * without the user profile field), an H2 store under ./data/demo, every stage once (the first run says once that the
 * profile field does not exist), then every stage again to show that an unchanged run writes nothing; then the
 * field is created, the user stages fill it, and a last run writes nothing again. Needs no network and no
 * configuration.
 */
public final class Demo {
    static final Path DIR = Path.of("data", "demo");
    static final String STORE = "jdbc:h2:file:./data/demo/ypsync;AUTO_SERVER=TRUE";

    private Demo() {
    }

    static final String FIELD = "netypareo_usertype";

    public static int run(PrintStream out) throws Exception {
        return run(out, false);
    }

    /**
     * The demo; {@code noProfileField}: stop after the two runs on a stock Moodle, without creating the user
     * profile field and showing the run that fills it ({@code demo --no-profile-field}).
     */
    public static int run(PrintStream out, boolean noProfileField) throws Exception {
        // The emulated Moodle starts empty every time, so the demo's store starts empty too.
        deleteTree(DIR);
        try (DemoEnvironment env = DemoEnvironment.start(20261125L, DataSetSize.DEMO, STORE)) {
            MoodleEmulator moodle = env.moodle();
            out.println("ypsync demo: NetYpareo emulator on 127.0.0.1:" + env.netypareo().port() + " (instances '"
                    + DemoEnvironment.FIRST + "' and '" + DemoEnvironment.SECOND + "'), Moodle emulator at "
                    + moodle.url() + ", store " + STORE);
            // the demo shows the optional courses stage too
            Map<String, String> properties = new java.util.LinkedHashMap<>(env.properties());
            properties.put("sync.courses.enabled", "true");
            int code = Launch.onceWith(properties, context -> {
                StageRunner runner = context.getRegistry().lookupByNameAndType("stageRunner", StageRunner.class);
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
                if (!noProfileField) {
                    moodle.resetCounters();
                    out.println();
                    out.println("=== The administrator creates the user profile field '" + FIELD + "' and asks ypsync"
                            + " to try it again (run users --recheck-fields): the field is filled for everybody once");
                    moodle.profileField(FIELD);
                    context.getRegistry().lookupByNameAndType("ypsyncStore", org.ypsync.store.Store.class)
                            .fieldStates().requestRecheck();
                    runs.addAll(runner.run("users", false, false));
                    runs.addAll(runner.run("tutors", false, false));
                    out.println("Moodle calls: " + moodle.callsByFunction() + ", write calls "
                            + moodle.totalWriteCalls());
                    moodle.resetCounters();
                    out.println();
                    out.println("=== And again: nothing changed, nothing written");
                    runs.addAll(runner.run("users", false, false));
                    runs.addAll(runner.run("tutors", false, false));
                    out.println("Moodle calls: " + moodle.callsByFunction() + ", write calls "
                            + moodle.totalWriteCalls());
                }
                out.println();
                out.println("Moodle now holds " + moodle.users().size() + " users and " + moodle.cohorts().size()
                        + " cohorts.");
                // every run met the same refused people again: count those of the second "run all" once
                int stages = runner.available().size();
                int deadLetters = runs.subList(stages, 2 * stages).stream().mapToInt(r -> r.counts().failed()).sum();
                if (StageRunner.outcome(runs) == StageRun.Outcome.RECORDS_FAILED) {
                    out.println("The demo data has missing and shared e-mails, as real CFA data does: those people were"
                            + " refused before Moodle saw them (" + deadLetters + " dead letters;"
                            + " 'java -jar target/ypsync.jar dead-letters list' with -Dypsync.store.url=" + STORE
                            + " shows them).");
                }
                return StageRunner.outcome(runs).exitCode();
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
