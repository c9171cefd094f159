package org.ypsync.ops;

import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Runs a stage (or all of them) once, on demand: the command line's "run", the demo and the JMX bean all come
 * through here, and the Quartz timers reach the same direct: routes.
 */
public final class StageRunner {
    /**
     * The stages in the order of the original plugin's guide, then ypsync's own courses stage (a no-op that says
     * so unless sync.courses.enabled); "all" runs them in this order.
     */
    public static final List<String> STAGES = List.of("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups",
            "courses");

    private final CamelContext context;

    public StageRunner(CamelContext context) {
        this.context = context;
    }

    /** The stages whose routes are loaded, in order. */
    public List<String> available() {
        return STAGES.stream().filter(s -> context.getRoute(s) != null).toList();
    }

    /**
     * Runs one stage, or "all" of them in order, and returns the run of each stage. A stage that fails does not stop
     * the ones after it: each reads what the others left in the cache and in Moodle.
     */
    public List<StageRun> run(String stage, boolean dryRun, boolean force) {
        if (stage.equals("all")) {
            return available().stream().map(s -> runOne(s, dryRun, force)).toList();
        }
        if (!available().contains(stage)) {
            throw new IllegalArgumentException("unknown stage '" + stage + "'; stages: " + String.join(", ", available())
                    + ", all");
        }
        return List.of(runOne(stage, dryRun, force));
    }

    private StageRun runOne(String stage, boolean dryRun, boolean force) {
        ProducerTemplate template = context.createProducerTemplate();
        try {
            Exchange result = template.request("direct:" + stage, ex -> ex.getIn().setHeaders(Map.of(
                    StageRuns.HEADER_DRY_RUN, dryRun, StageRuns.HEADER_FORCE, force)));
            StageRun run = result.getProperty(StageRuns.RUN, StageRun.class);
            if (run == null) {
                throw new IllegalStateException("stage " + stage + " did not start: " + Secrets.mask(
                        result.getException() == null ? "no stage run" : result.getException().getMessage()));
            }
            if (run.endedAt() == null) {
                // The stage route stopped on an error it could not handle: the run failed, and says why.
                Throwable cause = result.getException() != null ? result.getException()
                        : result.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                run.fail("stage stopped: " + (cause == null ? "unknown error" : cause.getMessage()));
                context.getRegistry().lookupByNameAndType("stageRuns", StageRuns.class).end(result);
            }
            return run;
        } finally {
            try {
                template.stop();
            } catch (Exception ignored) {
                // closing a template cannot lose work
            }
        }
    }

    /** The worst outcome of a set of runs: FAILED beats RECORDS_FAILED beats OK. */
    public static StageRun.Outcome outcome(List<StageRun> runs) {
        StageRun.Outcome worst = StageRun.Outcome.OK;
        for (StageRun r : runs) {
            worst = StageRun.Outcome.worst(worst, r.outcome());
        }
        return worst;
    }
}
