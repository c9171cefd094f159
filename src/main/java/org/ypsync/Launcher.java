package org.ypsync;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.ypsync.ops.Check;
import org.ypsync.ops.DeadLetterReplay;
import org.ypsync.ops.OpsCommands;
import org.ypsync.ops.Secrets;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRunner;

/**
 * The command line of target/ypsync.jar, Camel Main underneath:
 * <pre>
 *   java -jar ypsync.jar                                   daemon: every stage on its Quartz cron
 *   java -jar ypsync.jar run &lt;stage&gt;|all [--dry-run] [--force]   one run, then exit 0 / 1 / 2
 *   java -jar ypsync.jar demo                              emulators on loopback, H2 under ./data, all stages
 * </pre>
 */
public final class Launcher {
    static final String USAGE = """
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
                   java -jar ypsync.jar demo [--no-profile-field]
                                                             run every stage against built-in emulators (a stock
                                                             Moodle; then the profile field is created and filled)
            stages: %s""".formatted(String.join(", ", StageRunner.STAGES));

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Runs the command and returns its exit code (-1: the daemon ended normally). */
    static int run(String[] args, PrintStream out) throws Exception {
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
                    out.println(USAGE);
                    return 2;
                }
                return onceWith(Map.of(), context -> {
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
                return onceWith(Map.of(), context -> context.getRegistry().lookupByNameAndType("check", Check.class)
                        .run(out), out);
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
                out.println(USAGE);
                return 2;
            }
            case "demo" -> {
                return org.ypsync.demo.Demo.run(out, rest.contains("--no-profile-field"));
            }
            case "bench" -> {
                return org.ypsync.bench.Bench.run(List.of(args).subList(1, args.length), out);
            }
            default -> {
                out.println(USAGE);
                return args[0].equals("help") || args[0].equals("--help") ? 0 : 2;
            }
        }
    }

    /**
     * Starts Camel Main with the schedules off, runs {@code work} once it has started, prints the report and stops.
     * Returns the exit code of the worst outcome.
     */
    public static int once(Map<String, String> overrides, Function<StageRunner, List<StageRun>> work, PrintStream out)
            throws Exception {
        return onceWith(overrides, context -> StageRunner.outcome(work.apply(
                context.getRegistry().lookupByNameAndType("stageRunner", StageRunner.class))).exitCode(), out);
    }

    /** {@link #print} for tests in other packages. */
    public static List<StageRun> printForTests(List<StageRun> runs, PrintStream out) {
        return print(runs, out);
    }

    /** A command that only reads the store: a failure is one line (exit 2), never a stack trace. */
    static int light(java.util.function.IntSupplier command, PrintStream out) {
        try {
            return command.getAsInt();
        } catch (RuntimeException e) {
            out.println("ypsync: " + Secrets.mask(rootMessage(e)));
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
        return onceWith(overrides, context -> {
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

    /** Starts Camel Main with the schedules off, runs {@code work} once it has started, and stops. */
    public static int onceWith(Map<String, String> overrides, Function<CamelContext, Integer> work, PrintStream out)
            throws Exception {
        Main main = new Main(Launcher.class);
        Properties props = new Properties();
        props.put("ypsync.schedule.enabled", "false");
        // a one-shot command next to a running daemon: no second management server on its port, and no Quartz
        // scheduler of its own (with a clustered job store it would take the daemon's triggers)
        props.put("camel.management.enabled", "false");
        props.put("camel.component.quartz.auto-start-scheduler", "false");
        props.putAll(overrides);
        main.setOverrideProperties(props);
        int[] code = {2};
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport m) {
                try {
                    code[0] = work.apply(m.getCamelContext());
                } catch (RuntimeException e) {
                    out.println("ypsync: " + Secrets.mask(e.getMessage()));
                    code[0] = 2;
                } finally {
                    main.completed();
                }
            }
        });
        try {
            main.run();
        } catch (Exception e) {
            out.println("ypsync: could not start: " + Secrets.mask(rootMessage(e)));
            return 2;
        }
        return code[0];
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return e == t ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
