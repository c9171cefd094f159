package org.ypsync.reuse;

import java.util.ArrayList;
import java.util.List;
import org.ypsync.ops.StageRun;

/** The host estate's own bean: what its route saw of each ypsync stage it ran (bound by camel.beans.estateAudit). */
public class EstateAudit {
    private final List<String> lines = new ArrayList<>();
    private final List<StageRun> runs = new ArrayList<>();
    private final List<String> netypareoCalls = new ArrayList<>();
    private final List<String> swallowed = new ArrayList<>();

    /** Called by the host's route with the body ypsync's stage route ends with: the stage's run. */
    public synchronized void record(StageRun run) {
        runs.add(run);
        lines.add(run.stage() + ": " + run.outcome());
    }

    /** Called by the host's interceptor of ypsync's NetYpareo endpoint: the endpoint and whether a token went along. */
    public synchronized void netypareoCall(org.apache.camel.Exchange exchange) {
        String endpoint = exchange.getProperty(org.apache.camel.Exchange.INTERCEPTED_ENDPOINT, String.class);
        boolean withToken = exchange.getIn().getHeader("X-Auth-Token") != null;
        netypareoCalls.add(endpoint + (withToken ? " [token header]" : " [no token header]"));
    }

    /** Called by the estate's default error handling (host/defaults): the route that failed and why. */
    public synchronized void swallowed(org.apache.camel.Exchange exchange) {
        Throwable cause = exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class);
        swallowed.add(exchange.getProperty(org.apache.camel.Exchange.FAILURE_ROUTE_ID, String.class) + ": "
                + (cause == null ? null : cause.getMessage()));
    }

    public synchronized List<String> swallowed() {
        return List.copyOf(swallowed);
    }

    public synchronized List<String> netypareoCalls() {
        return List.copyOf(netypareoCalls);
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized List<StageRun> runs() {
        return List.copyOf(runs);
    }
}
