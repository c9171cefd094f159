package org.ypsync.reuse;

import java.util.ArrayList;
import java.util.List;
import org.ypsync.ops.StageRun;

/** The host estate's own bean: what its route saw of each ypsync stage it ran (bound by camel.beans.estateAudit). */
public class EstateAudit {
    private final List<String> lines = new ArrayList<>();
    private final List<StageRun> runs = new ArrayList<>();

    /** Called by the host's route with the body ypsync's stage route ends with: the stage's run. */
    public synchronized void record(StageRun run) {
        runs.add(run);
        lines.add(run.stage() + ": " + run.outcome());
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized List<StageRun> runs() {
        return List.copyOf(runs);
    }
}
