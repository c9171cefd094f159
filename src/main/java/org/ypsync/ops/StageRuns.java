package org.ypsync.ops;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ypsync.store.CacheStatusRepository;
import org.ypsync.store.RunRepository.RunCounts;

/**
 * Opens and closes stage runs for the stage routes: {@code begin} takes the stage's lock and puts a
 * {@link StageRun} on the exchange, the stage fills it in, {@code end} sends the run to the route
 * {@code run-history} (routes/operations.camel.yaml: the history row and the dead letters the run resolved, through
 * camel-sql), releases the lock, keeps the run for JMX and puts it in the body.
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

    /** The route that records an ended run (its body: a row of {@link #historyRow}). */
    public static final String HISTORY = "direct:run-history";

    private static final Logger REPORT_LOG = LoggerFactory.getLogger("ypsync.report");
    private static final Logger LOG = LoggerFactory.getLogger(StageRuns.class);

    private final ProducerTemplate template;
    private final StageLocks locks;
    private final YpsyncMetrics metrics;
    private final Map<String, StageRun> last = new ConcurrentHashMap<>();

    /** {@code locks} and {@code metrics} may be null (no locking, no metrics). */
    public StageRuns(ProducerTemplate template, StageLocks locks, YpsyncMetrics metrics) {
        this.template = template;
        this.locks = locks;
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
            // the run did its work (a run refused by the lock did none): what it did not dead-letter again now succeeds
            boolean resolves = heldLock && !run.dryRun() && run.outcome() != StageRun.Outcome.FAILED;
            Exchange written = template.send(HISTORY, ex -> {
                ex.setProperty(RUN, run);
                ex.getIn().setBody(historyRow(run, resolves));
            });
            if (written.getException() != null) {
                LOG.warn("Could not record the run of stage {}: {}", run.stage(),
                        Secrets.mask(written.getException().getMessage()));
            }
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

    /** An ended run as the parameters of the SQL of run-history, and whether it resolves the stage's dead letters. */
    static Map<String, Object> historyRow(StageRun run, boolean resolves) {
        RunCounts c = run.counts();
        Map<String, Object> row = new HashMap<>();
        row.put("stage", run.stage());
        row.put("runId", run.id());
        row.put("startedAt", Timestamp.from(run.startedAt()));
        row.put("endedAt", Timestamp.from(run.endedAt()));
        row.put("outcome", run.outcome().name());
        row.put("dryRun", run.dryRun());
        row.put("read", c.read());
        row.put("created", c.created());
        row.put("updated", c.updated());
        row.put("unchanged", c.unchanged());
        row.put("suspended", c.suspended());
        row.put("failed", c.failed());
        row.put("message", CacheStatusRepository.truncate(run.message()));
        row.put("resolves", resolves);
        return row;
    }

    /** The last run of each stage in this process (for JMX attributes). */
    public Map<String, StageRun> last() {
        return Map.copyOf(last);
    }
}
