package org.ypsync.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ypsync.store.RunRepository.RunCounts;

/** One run of one stage: its options, counts and outcome, filled in by the stage as it goes. */
public final class StageRun {

    /** How a run ended; the command line's exit code follows it. */
    public enum Outcome {
        OK(0), RECORDS_FAILED(1), FAILED(2);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }

        public static Outcome worst(Outcome a, Outcome b) {
            return a.ordinal() >= b.ordinal() ? a : b;
        }
    }

    private static final Logger REPORT = LoggerFactory.getLogger("ypsync.report");

    private final RunStart start = RunStart.now();
    private final String stage;
    private final boolean dryRun;
    private final boolean force;
    private volatile Instant endedAt;
    private final AtomicInteger read = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger updated = new AtomicInteger();
    private final AtomicInteger unchanged = new AtomicInteger();
    private final AtomicInteger suspended = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final List<String> planLines = Collections.synchronizedList(new ArrayList<>());
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stageFailed;
    // records handled so far (Moodle stages: created + updated + unchanged + suspended + failed), and records
    // streamed in (cache stage), for the progress lines
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong streamed = new AtomicLong();

    public StageRun(String stage, boolean dryRun, boolean force) {
        this.stage = stage;
        this.dryRun = dryRun;
        this.force = force;
    }

    public String stage() {
        return stage;
    }

    /** This run's id: the dead letters it adds carry it. */
    public String id() {
        return start.id();
    }

    public boolean dryRun() {
        return dryRun;
    }

    public boolean force() {
        return force;
    }

    public Instant startedAt() {
        return start.at();
    }

    public Instant endedAt() {
        return endedAt;
    }

    /** Ends the run once; false when it had already ended. */
    synchronized boolean end() {
        if (endedAt != null) {
            return false;
        }
        endedAt = Instant.now();
        return true;
    }

    public Duration duration() {
        return start.until(endedAt);
    }

    public void addRead(int n) {
        read.addAndGet(n);
    }

    public void addCreated(int n) {
        created.addAndGet(n);
        advance(n);
    }

    public void addUpdated(int n) {
        updated.addAndGet(n);
        advance(n);
    }

    public void addUnchanged(int n) {
        unchanged.addAndGet(n);
        advance(n);
    }

    public void addSuspended(int n) {
        suspended.addAndGet(n);
        advance(n);
    }

    /** A record went to the dead-letter store; the rest of the stage goes on. */
    public void recordFailed() {
        failed.incrementAndGet();
        advance(1);
    }

    /** Records handled: a progress line each tenth of what the stage read (Moodle stages know it upfront). */
    private void advance(int n) {
        if (n <= 0) {
            return;
        }
        long after = done.addAndGet(n);
        int total = read.get();
        // a stage that streamed its records reported them as they came; its counts arrive all at once at the end
        if (total > 0 && streamed.get() == 0 && Progress.due(after - n, after, total)) {
            REPORT.info("{}", Progress.line(stage, after, total, "done"));
        }
    }

    /** Records streamed in from NetYpareo (the cache stage's batches): a progress line every 1,000 records. */
    public void streamed(int n) {
        if (n <= 0) {
            return;
        }
        long after = streamed.addAndGet(n);
        if (Progress.due(after - n, after, 0)) {
            REPORT.info("{}", Progress.line(stage, after, 0, "read"));
        }
    }

    /** Whether the run ended (its history row is written). */
    public boolean ended() {
        return endedAt != null;
    }

    /** The stage (or one instance of it) could not do its work; a problem already listed is listed once. */
    public void fail(String problem) {
        stageFailed = true;
        String masked = Secrets.mask(problem);
        synchronized (problems) {
            if (!problems.contains(masked)) {
                problems.add(masked);
            }
        }
    }

    /** Something the operator must know of that did not stop the run (kept in the run history). */
    public void warn(String warning) {
        warnings.add(Secrets.mask(warning));
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The run history's message: the problems, then the warnings. */
    public String message() {
        List<String> all = new ArrayList<>(problems());
        warnings().forEach(w -> all.add("warning: " + w));
        return String.join("; ", all);
    }

    /** A dry-run line of the plan. */
    public void plan(String line) {
        planLines.add(line);
    }

    public List<String> planLines() {
        return List.copyOf(planLines);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    public RunCounts counts() {
        return new RunCounts(read.get(), created.get(), updated.get(), unchanged.get(), suspended.get(), failed.get());
    }

    public Outcome outcome() {
        if (stageFailed) {
            return Outcome.FAILED;
        }
        return failed.get() > 0 ? Outcome.RECORDS_FAILED : Outcome.OK;
    }

    /** One line for logs, JMX and the command line. */
    public String summary() {
        RunCounts c = counts();
        return String.format("%s: %s in %.1f s (read %d, created %d, updated %d, unchanged %d, suspended %d, failed %d)%s%s",
                stage, outcome(), duration().toMillis() / 1000.0, c.read(), c.created(), c.updated(), c.unchanged(),
                c.suspended(), c.failed(), dryRun ? " [dry run]" : "",
                problems.isEmpty() && warnings.isEmpty() ? "" : " - " + message());
    }
}
