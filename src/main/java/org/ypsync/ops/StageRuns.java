package org.ypsync.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ypsync.store.RunRepository;

/**
 * Opens and closes stage runs for the stage routes: {@code begin} puts a {@link StageRun} on the exchange, the
 * stage fills it in, {@code end} writes the run history row, keeps it for JMX and puts it in the body.
 */
public final class StageRuns {
    public static final String RUN = "ypsyncStageRun";
    /** Exchange property: the list of StageRuns of one request (several for "run all"). */
    public static final String REPORT = "ypsyncReport";
    public static final String HEADER_DRY_RUN = "ypsyncDryRun";
    public static final String HEADER_FORCE = "ypsyncForce";

    private static final Logger REPORT_LOG = LoggerFactory.getLogger("ypsync.report");

    private final RunRepository runs;
    private final Map<String, StageRun> last = new ConcurrentHashMap<>();

    public StageRuns(RunRepository runs) {
        this.runs = runs;
    }

    public void begin(Exchange exchange, String stage) {
        boolean dryRun = exchange.getIn().getHeader(HEADER_DRY_RUN, false, Boolean.class);
        boolean force = exchange.getIn().getHeader(HEADER_FORCE, false, Boolean.class);
        exchange.setProperty(RUN, new StageRun(stage, dryRun, force));
    }

    public static StageRun current(Exchange exchange) {
        StageRun run = exchange.getProperty(RUN, StageRun.class);
        if (run == null) {
            throw new IllegalStateException("no stage run on this exchange: the route must call stageRuns.begin first");
        }
        return run;
    }

    @SuppressWarnings("unchecked")
    public void end(Exchange exchange) {
        StageRun run = current(exchange);
        run.end();
        runs.record(run.stage(), null, run.startedAt(), run.endedAt(), run.outcome().name(), run.dryRun(),
                run.counts(), String.join("; ", run.problems()));
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
