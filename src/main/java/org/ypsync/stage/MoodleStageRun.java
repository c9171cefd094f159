package org.ypsync.stage;

import java.util.List;
import java.util.Map;
import org.ypsync.netypareo.NetypareoInstance;
import org.ypsync.ops.StageRun;

/**
 * What a Moodle stage run carries between its route steps: the records each split sends to a Moodle batch route
 * (read by the routes as ${exchangeProperty.<run>.creates} and so on), whether the writes go ahead, and the report.
 */
public abstract class MoodleStageRun {
    final StageOutput output;
    final MoodleWrites writes = new MoodleWrites();
    List<Map<String, Object>> creates = List.of();
    List<Map<String, Object>> updates = List.of();
    List<Map<String, Object>> memberAdds = List.of();
    List<Map<String, Object>> memberRemoves = List.of();
    boolean proceed = true;

    MoodleStageRun(String syncing) {
        this.output = new StageOutput(syncing);
    }

    public boolean isProceed() {
        return proceed;
    }

    public List<Map<String, Object>> getCreates() {
        return creates;
    }

    public List<Map<String, Object>> getUpdates() {
        return updates;
    }

    public List<Map<String, Object>> getMemberAdds() {
        return memberAdds;
    }

    public List<Map<String, Object>> getMemberRemoves() {
        return memberRemoves;
    }

    /** The end of the run: the stage fails when its writes were stopped, and the report is printed. */
    void finish(StageRun stageRun, List<NetypareoInstance> instances) {
        if (writes.isStopped()) {
            stageRun.fail(writes.problem());
        }
        output.print(instances);
    }

    /** One core_cohort_add_cohort_members entry, cohort and user by internal id. */
    static Map<String, Object> memberToAdd(long cohortId, long userId) {
        return Map.of("cohorttype", Map.of("type", "id", "value", cohortId), "usertype", Map.of("type", "id", "value", userId));
    }

    /** One core_cohort_delete_cohort_members entry. */
    static Map<String, Object> memberToRemove(long cohortId, long userId) {
        return Map.of("cohortid", cohortId, "userid", userId);
    }
}
