package org.ypsync.ops;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Runs a stage (or all of them) once, on demand: the command line's "run", the demo and the JMX bean all come
 * through here, and the Quartz timers reach the same direct: routes.
 */
public final class StageRunner {
    /** The stages in the order of the original plugin's guide; "all" runs them in this order. */
    public static final List<String> STAGES = List.of("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");

    private final CamelContext context;

    public StageRunner(CamelContext context) {
        this.context = context;
    }

    /** The stages whose routes are loaded, in order. */
    public List<String> available() {
        return STAGES.stream().filter(s -> context.getRoute(s) != null).toList();
    }

    /** Runs one stage or "all" and returns the run of each stage that ran. */
    @SuppressWarnings("unchecked")
    public List<StageRun> run(String stage, boolean dryRun, boolean force) {
        Set<String> known = Set.copyOf(available());
        if (!stage.equals("all") && !known.contains(stage)) {
            throw new IllegalArgumentException("unknown stage '" + stage + "'; stages: " + String.join(", ", available())
                    + ", all");
        }
        ProducerTemplate template = context.createProducerTemplate();
        try {
            Exchange result = template.request("direct:" + stage, ex -> ex.getIn().setHeaders(Map.of(
                    StageRuns.HEADER_DRY_RUN, dryRun, StageRuns.HEADER_FORCE, force)));
            if (result.getException() != null) {
                throw new IllegalStateException("stage " + stage + " failed: "
                        + Secrets.mask(result.getException().getMessage()), result.getException());
            }
            List<StageRun> report = result.getProperty(StageRuns.REPORT, List.class);
            return report == null ? List.of() : List.copyOf(report);
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
