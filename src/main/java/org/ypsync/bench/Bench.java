package org.ypsync.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.slf4j.LoggerFactory;
import org.ypsync.Launch;
import org.ypsync.moodle.MoodleClient;
import org.ypsync.moodle.MoodleSettings;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRunner;
import org.ypsync.stage.BatchExecutor;

/**
 * {@code java -jar ypsync.jar bench [--size S|M|L|XL] [--moodle-latency MS] [--moodle-item-latency MS]
 * [--netypareo-latency MS] [--netypareo-kb-latency MS]}: both emulators on loopback in a child JVM
 * ({@link EmulatorProcess}) with a generated data set, an H2 store in a temporary folder, and in this process: a full
 * first sync of every stage, an unchanged re-run, and a re-run after a 5 % churn of the students of each instance.
 * Prints a table per phase and, last, one machine-readable line. Exits 0 when every stage completed (dead letters
 * included), 2 when a stage failed. See README, "Benchmark".
 */
public final class Bench {
    static final String USAGE = "usage: java -jar ypsync.jar bench [--size S|M|L|XL] [--moodle-latency MS]"
            + " [--moodle-item-latency MS] [--netypareo-latency MS] [--netypareo-kb-latency MS] [--emulator-heap MB]"
            + " [--seed N] [--log]";
    static final long SEED = 20261125L;
    static final double CHURN = 0.05;
    /** The key that sets how many Moodle write calls ypsync keeps in flight at once. */
    static final String CONCURRENCY_KEY = "moodle.write-concurrency";
    /** The key that sets how many NetYpareo calls of one instance the cache stage keeps in flight at once. */
    static final String FETCH_CONCURRENCY_KEY = "netypareo.fetch-concurrency";

    /** Write functions and the kinds of rows the emulator counts for them. */
    /** The writes of the user, site cohort and group stages: what "write calls per 1,000 users" counts. */
    static final List<String> USER_WRITE_FUNCTIONS = List.of(MoodleClient.CREATE_USERS, MoodleClient.UPDATE_USERS,
            MoodleClient.CREATE_COHORTS, MoodleClient.UPDATE_COHORTS, MoodleClient.ADD_COHORT_MEMBERS,
            MoodleClient.DELETE_COHORT_MEMBERS);
    /** The courses stage's writes (the bench enables the stage). */
    static final List<String> COURSE_WRITE_FUNCTIONS = List.of(MoodleClient.CREATE_CATEGORIES,
            MoodleClient.CREATE_COURSES, MoodleClient.UPDATE_COURSES, MoodleClient.DUPLICATE_COURSE,
            MoodleClient.ENROL_USERS);
    static final List<String> WRITE_FUNCTIONS = java.util.stream.Stream.concat(USER_WRITE_FUNCTIONS.stream(),
            COURSE_WRITE_FUNCTIONS.stream()).toList();
    static final List<String> ROW_KINDS = List.of("created", "updated", "deleted", "added", "removed", "enrolled");

    private Bench() {
    }

    /** The command line options. */
    record Options(BenchSize size, double latencyMs, double itemLatencyMs, double netypareoLatencyMs,
                   double netypareoKbLatencyMs, int emulatorHeapMb, long seed, boolean log) {
        static Options parse(List<String> args) {
            BenchSize size = BenchSize.S;
            double latency = 20;
            double item = 2;
            double netypareo = 150;
            double kb = 0.2;
            int heap = 0;
            long seed = SEED;
            boolean log = false;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--size" -> size = BenchSize.parse(value(args, ++i, a));
                    case "--moodle-latency" -> latency = nonNegative(value(args, ++i, a), a);
                    case "--moodle-item-latency" -> item = nonNegative(value(args, ++i, a), a);
                    case "--netypareo-latency" -> netypareo = nonNegative(value(args, ++i, a), a);
                    case "--netypareo-kb-latency" -> kb = nonNegative(value(args, ++i, a), a);
                    case "--emulator-heap" -> heap = (int) nonNegative(value(args, ++i, a), a);
                    case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                    case "--log" -> log = true;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return new Options(size, latency, item, netypareo, kb, heap > 0 ? heap : defaultEmulatorHeapMb(size),
                    seed, log);
        }

        /** The emulators' JVM heap: both NetYpareo data sets and the Moodle site (165 MB at XL when measured). */
        static int defaultEmulatorHeapMb(BenchSize size) {
            return switch (size) {
                case S -> 256;
                case M -> 512;
                case L -> 1024;
                case XL -> 2048;
            };
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(i);
        }

        private static double nonNegative(String v, String option) {
            double d = Double.parseDouble(v);
            if (d < 0 || Double.isNaN(d)) {
                throw new IllegalArgumentException(option + " must be >= 0");
            }
            return d;
        }
    }

    /** One stage of one phase. */
    record StageRow(String stage, StageRun run, long wallNanos, Map<String, Long> calls, Map<String, Long> rows,
                    List<Floor.Step> steps, List<CacheFloor.Served> served) {
        long writeCalls() {
            return calls.entrySet().stream().filter(e -> WRITE_FUNCTIONS.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        double seconds() {
            return wallNanos / 1e9;
        }
    }

    /** One phase: its stages, wall time and heap. */
    record Phase(String name, List<StageRow> rows, long wallNanos, long peakUsedBytes, long peakLiveBytes,
                 long liveAtEndBytes, double floorMs, double cacheFloorMs) {
        double seconds() {
            return wallNanos / 1e9;
        }

        /** The whole phase's floor: the cache stage's and the Moodle stages'. */
        double floorSeconds() {
            return (floorMs + cacheFloorMs) / 1000;
        }

        double cacheSeconds() {
            return rows.stream().filter(r -> r.stage().equals("cache")).mapToDouble(StageRow::seconds).sum();
        }

        double moodleSeconds() {
            return rows.stream().filter(r -> !r.stage().equals("cache")).mapToDouble(StageRow::seconds).sum();
        }

        List<CacheFloor.Served> served() {
            return rows.stream().flatMap(r -> r.served().stream()).toList();
        }

        long writeCalls() {
            return rows.stream().mapToLong(StageRow::writeCalls).sum();
        }

        /** Write calls of the user, site cohort and group stages (the courses stage's are reported apart). */
        long userWriteCalls() {
            return USER_WRITE_FUNCTIONS.stream().mapToLong(this::calls).sum();
        }

        long calls(String function) {
            return rows.stream().mapToLong(r -> r.calls().getOrDefault(function, 0L)).sum();
        }

        long rows(String function) {
            return rows.stream().mapToLong(r -> r.rows().getOrDefault(function, 0L)).sum();
        }

        long records() {
            return rows.stream().mapToLong(r -> r.run().counts().read()).sum();
        }

        /** Users created, updated or suspended by the user stages. */
        long usersWritten() {
            return userRows().mapToLong(r -> r.run().counts().created() + r.run().counts().updated()
                    + r.run().counts().suspended()).sum();
        }

        long usersCreated() {
            return userRows().mapToLong(r -> r.run().counts().created()).sum();
        }

        private Stream<StageRow> userRows() {
            return rows.stream().filter(r -> r.stage().equals("users") || r.stage().equals("tutors"));
        }

        StageRun.Outcome outcome() {
            return StageRunner.outcome(rows.stream().map(StageRow::run).toList());
        }
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println("bench: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        if (!o.log()) {
            // the operator's report (one line per user written) would bury the tables
            // and so would the dead letters of the generated data's deliberate quirks (shared e-mails, ...)
            for (String logger : List.of("ypsync.report", "org.ypsync")) {
                ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger))
                        .setLevel(ch.qos.logback.classic.Level.ERROR);
            }
        }
        Path dir = Files.createTempDirectory("ypsync-bench");
        String store = "jdbc:h2:file:" + dir.resolve("ypsync").toAbsolutePath();
        try {
            return run(o, store, out);
        } finally {
            deleteTree(dir);
        }
    }

    /** The bench against a given store; the emulators' JVM is gone when this returns, whatever happened. */
    static int run(Options o, String store, PrintStream out) throws Exception {
        DataSetSize each = o.size().perInstance();
        long genStart = System.nanoTime();
        try (EmulatorProcess emulators = EmulatorProcess.start(o.seed(), o.size(), o, o.emulatorHeapMb());
             HeapMonitor heap = new HeapMonitor()) {
            double genSeconds = (System.nanoTime() - genStart) / 1e9;
            out.printf(Locale.ROOT, "ypsync bench: size %s = 2 instances x (%,d students, %,d trainers, %,d tutors,"
                            + " %,d diploma groups, %,d FC groups, %d sites); emulators started in %.1f s%n",
                    o.size(), each.students(), each.trainers(), each.tutors(), each.diplomaGroups(), each.fcGroups(),
                    each.sites(), genSeconds);
            out.printf(Locale.ROOT, "emulators: child JVM pid %d, -Xmx%dm, loopback; Moodle latency %s ms per call"
                            + " + %s ms per row written; NetYpareo latency %s ms per call + %s ms per KB%n",
                    emulators.pid(), o.emulatorHeapMb(), num(o.latencyMs()), num(o.itemLatencyMs()),
                    num(o.netypareoLatencyMs()), num(o.netypareoKbLatencyMs()));
            out.printf(Locale.ROOT, "ypsync: heap max %d MB; %d processors%n", heap.maxBytes() >> 20,
                    Runtime.getRuntime().availableProcessors());
            Map<String, String> properties = new LinkedHashMap<>(emulators.properties());
            properties.put("ypsync.store.url", store);
            // the optional courses stage is measured too: one course per diploma group, its students and trainers
            properties.put("sync.courses.enabled", "true");
            List<Phase> phases = new ArrayList<>();
            Launch.onceWith(properties, context -> {
                try {
                    runPhases(context, emulators, o, heap, phases, out);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return 0;
            }, out);
            if (phases.size() == 3) {
                printCacheCost(phases.get(0), out);
                out.printf(Locale.ROOT, "emulators' own heap at the end (their JVM, not ypsync's): %d MB%n",
                        emulators.heapBytes() >> 20);
                out.println(machineLine(o.size(), phases.get(0), phases.get(1), phases.get(2)));
            }
            return exitCode(phases.size() == 3 ? phases.stream().flatMap(p -> p.rows().stream())
                    .map(r -> r.run().outcome()).toList() : List.of(StageRun.Outcome.FAILED));
        }
    }

    /**
     * 0 when every stage completed: records refused by the data's quirks are part of the measurement (counted as
     * dead letters in the table); 2 when a stage failed (or the bench could not run every phase).
     */
    static int exitCode(List<StageRun.Outcome> outcomes) {
        return outcomes.contains(StageRun.Outcome.FAILED) ? StageRun.Outcome.FAILED.exitCode() : 0;
    }

    private static void runPhases(CamelContext context, EmulatorProcess emulators, Options o, HeapMonitor heap,
                                  List<Phase> phases, PrintStream out) throws IOException {
        Floor floor = floor(context, o);
        CacheFloor cacheFloor = cacheFloor(context, o);
        out.printf(Locale.ROOT, "floor settings: batches of at most %d records (%s) and %,d form fields,"
                        + " %d write call(s) in flight (%s); %d NetYpareo call(s) in flight per instance (%s),"
                        + " instances side by side%n", floor.maxRecords(),
                new java.util.TreeMap<>(floor.maxRecordsByFunction()), floor.fieldBudget(),
                floor.concurrency(), CONCURRENCY_KEY, cacheFloor.concurrency(), FETCH_CONCURRENCY_KEY);
        StageRunner runner = context.getRegistry().lookupByNameAndType("stageRunner", StageRunner.class);
        phases.add(phase("1/3 full first sync", runner, emulators, heap, floor, cacheFloor, out));
        phases.add(phase("2/3 unchanged re-run", runner, emulators, heap, floor, cacheFloor, out));
        emulators.churn(o.seed(), CHURN).forEach((id, m) -> out.printf(Locale.ROOT, "churn of instance '%s': %s%n",
                id, m));
        phases.add(phase("3/3 re-run after 5 % churn", runner, emulators, heap, floor, cacheFloor, out));
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static Floor floor(CamelContext context, Options o) {
        MoodleSettings s = context.getRegistry().lookupByNameAndType("moodleClient", MoodleClient.class).settings();
        // the executor the Moodle batch routes use (routes/moodle.camel.yaml), sized by moodle.write-concurrency
        BatchExecutor executor = context.getRegistry().lookupByNameAndType("moodleBatchExecutor", BatchExecutor.class);
        int concurrency = executor == null ? 1 : executor.concurrency();
        return new Floor(o.latencyMs(), o.itemLatencyMs(), Math.max(1, concurrency), s.fieldBudget(),
                s.maxRecordsPerBatch(), s.maxRecordsByFunction());
    }

    /** The cache stage's floor at the configured fetch concurrency (1 where the key is not set). */
    static CacheFloor cacheFloor(CamelContext context, Options o) {
        int concurrency = Integer.parseInt(context.resolvePropertyPlaceholders(
                "{{" + FETCH_CONCURRENCY_KEY + ":1}}").trim());
        return new CacheFloor(o.netypareoLatencyMs(), o.netypareoKbLatencyMs(), Math.max(1, concurrency));
    }

    static Phase phase(String name, StageRunner runner, EmulatorProcess emulators, HeapMonitor heap, Floor floor,
                       CacheFloor cacheFloor, PrintStream out) throws IOException {
        emulators.resetCounters();
        System.gc();
        heap.reset();
        List<StageRow> rows = new ArrayList<>();
        long start = System.nanoTime();
        for (String stage : runner.available()) {
            EmulatorProcess.Counters before = emulators.counters();
            System.err.printf("[bench] %s, %s...%n", name, stage);
            long t = System.nanoTime();
            StageRun run = runner.run(stage, false, false).get(0);
            long wall = System.nanoTime() - t;
            EmulatorProcess.Counters after = emulators.counters();
            Map<String, Long> calls = diff(after.moodleCalls(), before.moodleCalls());
            Map<String, Long> rowsWritten = diff(after.moodleRows(), before.moodleRows());
            List<Floor.Step> steps = new ArrayList<>();
            calls.forEach((fn, n) -> {
                boolean write = WRITE_FUNCTIONS.contains(fn);
                steps.add(new Floor.Step(stage, fn, write, write ? rowsWritten.getOrDefault(fn, 0L) : 0,
                        write ? 0 : n));
            });
            rows.add(new StageRow(stage, run, wall, calls, rowsWritten, steps,
                    servedDiff(after.served(), before.served())));
        }
        long wall = System.nanoTime() - start;
        double floorMs = floor.millis(rows.stream().flatMap(r -> r.steps().stream()).toList());
        double cacheFloorMs = cacheFloor.millis(rows.stream().flatMap(r -> r.served().stream()).toList());
        long peakUsed = heap.peakUsedBytes();
        long peakAfterGc = heap.peakLiveBytes();
        Phase p = new Phase(name, rows, wall, peakUsed, peakAfterGc, liveHeap(), floorMs, cacheFloorMs);
        print(p, floor, cacheFloor, out);
        return p;
    }

    /** What was served between two snapshots, per path. */
    static List<CacheFloor.Served> servedDiff(List<CacheFloor.Served> after, List<CacheFloor.Served> before) {
        Map<String, CacheFloor.Served> was = new LinkedHashMap<>();
        before.forEach(s -> was.put(s.instance() + " " + s.path(), s));
        List<CacheFloor.Served> d = new ArrayList<>();
        for (CacheFloor.Served s : after) {
            CacheFloor.Served b = was.get(s.instance() + " " + s.path());
            long calls = s.calls() - (b == null ? 0 : b.calls());
            if (calls > 0) {
                d.add(new CacheFloor.Served(s.instance(), s.path(), calls, s.bytes() - (b == null ? 0 : b.bytes())));
            }
        }
        return d;
    }

    static Map<String, Long> diff(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> d = new LinkedHashMap<>();
        after.forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n != 0) {
                d.put(k, n);
            }
        });
        return d;
    }

    static void print(Phase p, Floor floor, CacheFloor cacheFloor, PrintStream out) {
        out.println();
        out.println("=== Phase " + p.name() + ": " + p.outcome());
        out.printf(Locale.ROOT, "%-13s %8s %9s %9s %8s %8s %6s %6s %7s %7s %8s %6s%n", "stage", "wall s", "records",
                "rec/s", "created", "updated", "susp.", "failed", "calls", "writes", "floor s", "ratio");
        for (StageRow r : p.rows()) {
            var c = r.run().counts();
            double f = (floor.millis(r.steps()) + cacheFloor.millis(r.served())) / 1000;
            out.printf(Locale.ROOT, "%-13s %8.2f %,9d %,9.0f %,8d %,8d %,6d %,6d %,7d %,7d %8.2f %6s%n", r.stage(),
                    r.seconds(), c.read(), c.read() / Math.max(1e-9, r.seconds()), c.created(), c.updated(),
                    c.suspended(), c.failed(), r.calls().values().stream().mapToLong(Long::longValue).sum(),
                    r.writeCalls(), f, ratio(r.seconds(), f));
            for (String problem : r.run().problems()) {
                out.println("    ! " + problem);
            }
        }
        double moodleStages = p.moodleSeconds();
        out.printf(Locale.ROOT, "%-13s %8.2f %,9d %,9.0f %47s %8.2f %6s%n", "total", p.seconds(), p.records(),
                p.records() / Math.max(1e-9, p.seconds()), "", p.floorSeconds(), ratio(p.seconds(), p.floorSeconds()));
        out.printf(Locale.ROOT, "%-13s %8.2f %9s %9s %47s %8.2f %6s%n", "Moodle stages", moodleStages, "", "", "",
                p.floorMs() / 1000, ratio(moodleStages, p.floorMs() / 1000));
        out.printf(Locale.ROOT, "%-13s %8.2f %9s %9s %47s %8.2f %6s%n", "cache stage", p.cacheSeconds(), "", "", "",
                p.cacheFloorMs() / 1000, ratio(p.cacheSeconds(), p.cacheFloorMs() / 1000));
        out.println();
        out.printf(Locale.ROOT, "  %-36s %7s %9s %8s %8s%n", "NetYpareo endpoint (both instances)", "calls", "KB",
                "fewest", "serial s");
        for (CacheFloor.Endpoint e : cacheFloor.endpoints(p.served())) {
            out.printf(Locale.ROOT, "  %-36s %,7d %,9d %,8d %8.2f%n", e.name(), e.calls(), e.bytes() >> 10,
                    e.fewest(), e.serialMs() / 1000);
        }
        out.println();
        out.printf(Locale.ROOT, "  %-36s %7s %9s %8s %8s%n", "Moodle function", "calls", "rows", "fewest", "floor s");
        Map<String, Long> calls = new java.util.TreeMap<>();
        p.rows().forEach(r -> r.calls().forEach((fn, n) -> calls.merge(fn, n, Long::sum)));
        calls.forEach((fn, n) -> {
            List<Floor.Step> steps = p.rows().stream().flatMap(r -> r.steps().stream())
                    .filter(s -> s.function().equals(fn)).toList();
            long fewest = steps.stream().mapToLong(floor::calls).sum();
            out.printf(Locale.ROOT, "  %-36s %,7d %,9d %,8d %8.2f%n", fn, n, p.rows(fn), fewest,
                    floor.millis(steps) / 1000);
        });
        long users = p.usersWritten();
        long userCalls = p.calls(MoodleClient.CREATE_USERS) + p.calls(MoodleClient.UPDATE_USERS);
        out.printf(Locale.ROOT, "  users written %,d (created %,d); write calls %,d; per 1,000 users written: %s"
                        + " (user calls only: %s); %s calls per 1,000 users created: %s%n", users, p.usersCreated(),
                p.userWriteCalls(), perThousand(p.userWriteCalls(), users), perThousand(userCalls, users),
                MoodleClient.CREATE_USERS, perThousand(p.calls(MoodleClient.CREATE_USERS), p.usersCreated()));
        out.printf(Locale.ROOT, "  peak heap: %d MB in use (sampled, garbage included), %d MB at most after a"
                        + " collection; %d MB live at the end of the phase (after a full GC)%n",
                p.peakUsedBytes() >> 20, p.peakLiveBytes() >> 20, p.liveAtEndBytes() >> 20);
    }

    static void printCacheCost(Phase full, PrintStream out) {
        full.rows().stream().filter(r -> r.stage().equals("cache")).findFirst().ifPresent(r -> out.printf(
                Locale.ROOT, "%ncache stage: %,d records in %.2f s = %.1f us per record%n", r.run().counts().read(),
                r.seconds(), r.wallNanos() / 1e3 / Math.max(1, r.run().counts().read())));
    }

    static String perThousand(long calls, long users) {
        return users == 0 ? "-" : String.format(Locale.ROOT, "%.1f", calls * 1000.0 / users);
    }

    static String ratio(double wall, double floor) {
        return floor <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", wall / floor);
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** The last line of the output, for scripts. */
    static String machineLine(BenchSize size, Phase full, Phase rerun, Phase mutate) {
        long peak = Math.max(full.peakUsedBytes(), Math.max(rerun.peakUsedBytes(), mutate.peakUsedBytes()));
        return machineLine(size, full.seconds(), full.floorSeconds(), rerun.writeCalls(), rerun.seconds(),
                mutate.seconds(), peak >> 20) + cacheFields(full.cacheSeconds(), full.cacheFloorMs() / 1000,
                full.moodleSeconds(), full.floorMs() / 1000);
    }

    /** The full sync's cache and Moodle ratios, appended to the machine-readable line. */
    static String cacheFields(double cacheS, double cacheFloorS, double moodleS, double moodleFloorS) {
        return String.format(Locale.ROOT, " cache_s=%.2f cache_floor_s=%.2f cache_ratio=%s moodle_ratio=%s", cacheS,
                cacheFloorS, ratio(cacheS, cacheFloorS), ratio(moodleS, moodleFloorS));
    }

    static String machineLine(BenchSize size, double fullS, double floorS, long rerunWrites, double rerunS,
                              double mutateS, long peakHeapMb) {
        return String.format(Locale.ROOT, "bench: size=%s full_s=%.2f floor_s=%.2f ratio=%s rerun_writes=%d"
                        + " rerun_s=%.2f mutate_s=%.2f peak_heap_mb=%d", size, fullS, floorS, ratio(fullS, floorS),
                rerunWrites, rerunS, mutateS, peakHeapMb);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
