package org.ypsync.app;

import java.io.PrintStream;
import java.util.List;
import org.ypsync.Launcher;
import org.ypsync.bench.Bench;
import org.ypsync.demo.Demo;

/**
 * The main of the runnable target/ypsync.jar: the library's commands ({@link Launcher}) plus {@code demo} and
 * {@code bench}, which run against the built-in emulators. This package, {@code demo}, {@code bench} and the
 * emulators are left out of the library jar that hosts depend on (README, "Build").
 */
public final class YpsyncMain {
    static final String USAGE = Launcher.usage("""
                   java -jar ypsync.jar demo [--no-profile-field]
                                                             run every stage against built-in emulators (a stock
                                                             Moodle; then the profile field is created and filled)
                   java -jar ypsync.jar bench [--size S|M|L|XL] [...]
                                                             a benchmark against the emulators (README, "Benchmark")
            """);

    private YpsyncMain() {
    }

    public static void main(String[] args) throws Exception {
        Launcher.exit(run(args, System.out));
    }

    /** Runs the command and returns its exit code (-1: the daemon ended normally). */
    static int run(String[] args, PrintStream out) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        List<String> rest = args.length == 0 ? List.of() : List.of(args).subList(1, args.length);
        return switch (command) {
            case "demo" -> Demo.run(out, rest.contains("--no-profile-field"));
            case "bench" -> Bench.run(rest, out);
            default -> Launcher.run(args, out, USAGE);
        };
    }
}
