package org.ypsync.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ypsync.store.DeadLetterRepository;
import org.ypsync.store.RunRepository;

/**
 * Opens and closes stage runs for the stage routes: {@code begin} takes the stage's lock and puts a
 * {@link StageRun} on the exchange, the stage fills it in, {@code end} writes the run history row, clears the
 * dead letters the run resolved, releases the lock, keeps the run for JMX and puts it in the body.
 *
 * <p>A stage that is already running (here, from another trigger, or on another node) is refused at once: the
 * run ends FAILED with "stage X is already running on &lt;owner&gt; since &lt;time&gt;" and the route stops.
 */
public final class StageRuns {
    public static final String RUN = "ypsyncStageRun";
    /** Exchange property: the list of StageRuns of one request (several for "run all"). */
    public static final String REPORT = "ypsyncReport";
    public static final String HEADER_DRY_RUN = "ypsyncDryRun";
    public static final String HEADER_FORCE = "ypsyncForce";

    private static final Logger REPORT_LOG = LoggerFactory.getLogger("ypsync.report");
    private static final Logger LOG = LoggerFactory.getLogger(StageRuns.class);

    private final RunRepository runs;
    private final StageLocks locks;
    private final DeadLetterRepository deadLetters;
    private final YpsyncMetrics metrics;
    private final Map<String, StageRun> last = new ConcurrentHashMap<>();

    public StageRuns(RunRepository runs) {
        this(runs, null, null, null);
    }

    /** Any of {@code locks}, {@code deadLetters} and {@code metrics} may be null (no locking, no clearing, no metrics). */
    public StageRuns(RunRepository runs, StageLocks locks, DeadLetterRepository deadLetters, YpsyncMetrics metrics) {
        this.runs = runs;
        this.locks = locks;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    public void begin(Exchange exchange, String stage) {
        boolean dryRun = exchange.getIn().getHeader(HEADER_DRY_RUN, false, Boolean.class);
        boolean force = exchange.getIn().getHeader(HEADER_FORCE, false, Boolean.class);
        StageRun run = new StageRun(stage, dryRun, force);
        exchange.setProperty(RUN, run);
        if (locks != null) {
            try {
                locks.acquire(stage);
            } catch (StageLocks.LockedException e) {
                run.fail(e.getMessage());
                finish(exchange, run, false);
                // nothing else of this stage runs: the stage route stops here
                exchange.setRouteStop(true);
                return;
            }
        }
        // Whatever way the exchange ends (an error no handler caught included), the run is recorded and the lock freed.
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                if (!run.ended()) {
                    Throwable cause = done.getException() != null ? done.getException()
                            : done.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                    run.fail("stage stopped: " + (cause == null ? "unknown error" : cause.getMessage()));
                    finish(done, run, true);
                }
            }
        });
    }

    public static StageRun current(Exchange exchange) {
        StageRun run = exchange.getProperty(RUN, StageRun.class);
        if (run == null) {
            throw new IllegalStateException("no stage run on this exchange: the route must call stageRuns.begin first");
        }
        return run;
    }

    public void end(Exchange exchange) {
        finish(exchange, current(exchange), true);
    }

    @SuppressWarnings("unchecked")
    private void finish(Exchange exchange, StageRun run, boolean heldLock) {
        if (!run.end()) {
            return;
        }
        try {
            runs.record(run.stage(), null, run.startedAt(), run.endedAt(), run.outcome().name(), run.dryRun(),
                    run.counts(), run.message());
            if (heldLock && deadLetters != null && !run.dryRun() && run.outcome() != StageRun.Outcome.FAILED) {
                // the run did its work: what it did not dead-letter again now succeeds
                int resolved = deadLetters.clearResolved(run.stage(), run.id());
                if (resolved > 0) {
                    REPORT_LOG.info("  {}: {} earlier dead letter(s) resolved", run.stage(), resolved);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not record the run of stage {}: {}", run.stage(), Secrets.mask(e.getMessage()));
        } finally {
            if (heldLock && locks != null) {
                locks.release(run.stage());
            }
        }
        if (metrics != null) {
            metrics.runEnded(run);
        }
        last.put(run.stage(), run);
        REPORT_LOG.info("{}", run.summary());
        List<StageRun> report = exchange.getProperty(REPORT, List.class);
        if (report == null) {
            report = new ArrayList<>();
            exchange.setProperty(REPORT, report);
        }
        report.add(run);
        exchange.getIn().setBody(run);
    }

    /** The last run of each stage in this process (for JMX attributes). */
    public Map<String, StageRun> last() {
        return Map.copyOf(last);
    }
}
