package org.ypsync.stage;

import org.ypsync.store.RunRepository;

/**
 * Moodle can be edited by hand: every sync.drift.every-runs runs of a stage (1: every run, 0: never), the stage
 * reads its users or cohorts back from Moodle and repairs what differs from what it wrote.
 */
public final class DriftSchedule {
    private final int everyRuns;
    private final RunRepository runs;

    public DriftSchedule(int everyRuns, RunRepository runs) {
        this.everyRuns = everyRuns;
        this.runs = runs;
    }

    /** Whether this run of the stage (the one about to be recorded) reads Moodle back. */
    public boolean due(String stage) {
        if (everyRuns <= 0) {
            return false;
        }
        return everyRuns == 1 || runs.count(stage) % everyRuns == 0;
    }
}
