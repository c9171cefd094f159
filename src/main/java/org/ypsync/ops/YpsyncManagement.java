package org.ypsync.ops;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.StaticService;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;

/**
 * The operator's JMX bean, {@code org.apache.camel:context=ypsync,type=services,name=YpsyncManagement}: run one
 * stage or all of them by hand, see a dry run's plan, and read the last run of each stage.
 */
@ManagedResource(description = "ypsync: run stages by hand, replay dead letters and read the last runs")
public final class YpsyncManagement implements StaticService {
    private final StageRunner runner;
    private final StageRuns stageRuns;
    private final DeadLetterReplay replay;
    private final org.ypsync.store.Store store;

    public YpsyncManagement(StageRunner runner, StageRuns stageRuns) {
        this(runner, stageRuns, null, null);
    }

    /** {@code replay} and {@code store} may be null (no replay, no store attributes). */
    public YpsyncManagement(StageRunner runner, StageRuns stageRuns, DeadLetterReplay replay,
                            org.ypsync.store.Store store) {
        this.runner = runner;
        this.stageRuns = stageRuns;
        this.replay = replay;
        this.store = store;
    }

    @ManagedOperation(description = "Run one stage now (cache, site-cohorts, users, tutors, groups, fc-groups, courses); returns its outcome and counts when it ends")
    public String runStage(String stage) {
        return describe(runner.run(stage, false, false));
    }

    @ManagedOperation(description = "Run every stage now, in the order of the original plugin's guide")
    public String runAll() {
        return describe(runner.run("all", false, false));
    }

    @ManagedOperation(description = "Compute a stage's plan without writing anything; returns the plan as text")
    public String dryRun(String stage) {
        List<StageRun> runs = runner.run(stage, true, false);
        StringBuilder out = new StringBuilder(describe(runs));
        for (StageRun r : runs) {
            r.planLines().forEach(l -> out.append('\n').append(l));
        }
        return out.toString();
    }

    @ManagedOperation(description = "Make the next run of the users and tutors stages try again whether Moodle keeps the fields it did not keep (for example once the user profile field has been created); returns how many fields")
    public String recheckMoodleFields() {
        if (store == null) {
            return "the store is not available";
        }
        return store.fieldStates().requestRecheck() + " field(s) will be tried again at the next run of users and tutors";
    }

    @ManagedOperation(description = "Replay the dead letters of a stage (blank or 'all': of every stage that has some) by running the stage again; returns how many were resolved")
    public String replayDeadLetters(String stage) {
        if (replay == null) {
            return "dead-letter replay is not available";
        }
        return DeadLetterReplay.describe(replay.replay(stage));
    }

    @ManagedAttribute(description = "The stages that can be run")
    public String getStages() {
        return String.join(", ", runner.available());
    }

    @ManagedAttribute(description = "Per stage: last start, end, outcome and counts (this process)")
    public Map<String, String> getLastRuns() {
        return stageRuns.last().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> Secrets.mask(e.getValue().startedAt() + " -> " + e.getValue().endedAt() + " "
                        + e.getValue().summary())));
    }

    @ManagedAttribute(description = "Per stage: the last run recorded in the store, on any node (start, end, outcome, counts)")
    public Map<String, String> getRunHistory() {
        if (store == null) {
            return Map.of();
        }
        Map<String, String> out = new java.util.TreeMap<>();
        for (var r : store.runs().lastPerStage()) {
            var c = r.counts();
            out.put(r.stage(), Secrets.mask(r.startedAt() + " -> " + r.endedAt() + " " + r.outcome()
                    + (r.dryRun() ? " [dry run]" : "") + String.format(" (read %d, created %d, updated %d, unchanged %d,"
                    + " suspended %d, failed %d)", c.read(), c.created(), c.updated(), c.unchanged(), c.suspended(),
                    c.failed())));
        }
        return out;
    }

    @ManagedAttribute(description = "Dead letters in the store per stage")
    public Map<String, Integer> getDeadLetters() {
        return store == null ? Map.of() : store.deadLetters().countsByStage();
    }

    private static String describe(List<StageRun> runs) {
        return Secrets.mask(runs.stream().map(StageRun::summary).collect(Collectors.joining("\n")));
    }

    @Override
    public void start() {
        // nothing to start: the bean only delegates
    }

    @Override
    public void stop() {
        // nothing to stop
    }
}
