package org.ypsync;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;
import org.ypsync.ops.Check;
import org.ypsync.ops.DeadLetterReplay;
import org.ypsync.ops.OpsCommands;
import org.ypsync.ops.Secrets;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRunner;

/**
 * The command line of the library, Camel Main underneath (the runnable target/ypsync.jar adds {@code demo} and
 * {@code bench}: {@code org.ypsync.app.YpsyncMain}, not in the library jar):
 * <pre>
 *   java -cp ... org.ypsync.Launcher                                 daemon: every stage on its Quartz cron
 *   java -cp ... org.ypsync.Launcher run &lt;stage&gt;|all [--dry-run] [--force]   one run, then exit 0 / 1 / 2
 * </pre>
 */
public final class Launcher {
    /** The commands of the library, one or more lines each; {@link #usage} adds the stages. */
    public static final String COMMANDS = """
            usage: java -jar ypsync.jar                      run the daemon (every stage on its Quartz schedule)
                   java -jar ypsync.jar run <stage>|all [--dry-run] [--force] [--recheck-fields]
                                                             run once and exit: 0 all good, 1 some records failed
                                                             (see the dead-letter store), 2 a stage failed;
                                                             --recheck-fields: try again now the fields Moodle
                                                             did not keep (a profile field created since)
                   java -jar ypsync.jar check                check Moodle (token, functions) and NetYpareo (endpoints)
                   java -jar ypsync.jar status               last run of each stage, what runs now, dead letters,
                                                             cache status per instance (reads the store only)
                   java -jar ypsync.jar dead-letters [list [<stage>]|replay [<stage>]]
                                                             list the dead letters, or run again the stages that
                                                             own them (a record that now succeeds leaves the store)
            """;
    static final String USAGE = usage("");

    private Launcher() {
    }

    /** The usage text: the library's commands, then {@code moreCommands} (lines of the same layout), the stages. */
    public static String usage(String moreCommands) {
        return COMMANDS + moreCommands + "stages: " + String.join(", ", StageRunner.STAGES);
    }

    public static void main(String[] args) throws Exception {
        exit(run(args, System.out));
    }

    /** Ends the JVM with the exit code of a command (-1: the daemon ended normally, the JVM ends by itself). */
    public static void exit(int code) {
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Runs the command and returns its exit code (-1: the daemon ended normally). */
    public static int run(String[] args, PrintStream out) throws Exception {
        return run(args, out, USAGE);
    }

    /**
     * Runs the command and returns its exit code (-1: the daemon ended normally); an unknown command or
     * {@code help} prints {@code usage}.
     */
    public static int run(String[] args, PrintStream out, String usage) throws Exception {
        if (args.length == 0) {
            new Main(Launcher.class).run();
            return -1;
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        boolean dryRun = rest.remove("--dry-run");
        boolean force = rest.remove("--force");
        boolean recheckFields = rest.remove("--recheck-fields");
        switch (args[0]) {
            case "run" -> {
                if (rest.size() != 1) {
                    out.println(usage);
                    return 2;
                }
                return Launch.onceWith(Map.of(), context -> {
                    if (recheckFields) {
                        // the user stages try again now whether Moodle keeps the fields it did not keep
                        context.getRegistry().lookupByNameAndType("ypsyncStore", org.ypsync.store.Store.class)
                                .fieldStates().requestRecheck();
                    }
                    StageRunner runner = context.getRegistry().lookupByNameAndType("stageRunner", StageRunner.class);
                    return StageRunner.outcome(print(runner.run(rest.get(0), dryRun, force), out)).exitCode();
                }, out);
            }
            case "check" -> {
                return Launch.onceWith(Map.of(), context -> context.getRegistry()
                        .lookupByNameAndType("check", Check.class).run(out), out);
            }
            case "status" -> {
                return light(() -> OpsCommands.status(Map.of(), out), out);
            }
            case "dead-letters" -> {
                String action = rest.isEmpty() ? "list" : rest.get(0);
                String stage = rest.size() > 1 ? rest.get(1) : null;
                if (action.equals("list")) {
                    return light(() -> OpsCommands.listDeadLetters(stage, Map.of(), out), out);
                }
                if (action.equals("replay")) {
                    return replay(stage, Map.of(), out);
                }
                out.println(usage);
                return 2;
            }
            default -> {
                out.println(usage);
                return args[0].equals("help") || args[0].equals("--help") ? 0 : 2;
            }
        }
    }

    /** A command that only reads the store: a failure is one line (exit 2), never a stack trace. */
    static int light(java.util.function.IntSupplier command, PrintStream out) {
        try {
            return command.getAsInt();
        } catch (RuntimeException e) {
            out.println("ypsync: " + Secrets.mask(Launch.rootMessage(e)));
            return 2;
        }
    }

    /**
     * A dry run prints its plan; every run ends with its summary (already logged by the stage), several runs with
     * a summary table.
     */
    static List<StageRun> print(List<StageRun> runs, PrintStream out) {
        for (StageRun run : runs) {
            if (run.dryRun()) {
                out.println("Plan of " + run.stage() + " (dry run, nothing written):");
                run.planLines().forEach(l -> out.println("  " + l));
            }
        }
        if (runs.size() > 1) {
            out.println();
            out.print(OpsCommands.runTable(runs));
        }
        return runs;
    }

    /**
     * {@code dead-letters replay [stage]}: runs again the stages that own dead letters (with the schedules off, next
     * to a running daemon: the stage lock refuses a stage the daemon is running). Exit code of the worst run.
     */
    public static int replay(String stage, Map<String, String> overrides, PrintStream out) throws Exception {
        return Launch.onceWith(overrides, context -> {
            List<DeadLetterReplay.Result> results = context.getRegistry()
                    .lookupByNameAndType("deadLetterReplay", DeadLetterReplay.class).replay(stage);
            out.println(DeadLetterReplay.describe(results));
            List<StageRun> runs = results.stream().map(DeadLetterReplay.Result::run)
                    .filter(java.util.Objects::nonNull).toList();
            if (!runs.isEmpty()) {
                out.print(OpsCommands.runTable(runs));
            }
            return StageRunner.outcome(runs).exitCode();
        }, out);
    }
}
