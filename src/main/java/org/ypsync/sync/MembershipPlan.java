package org.ypsync.sync;

import java.util.List;
import java.util.Map;

/**
 * Cohort membership changes. removalGuards: cohort idnumber to the reason its removals are held back (unless
 * --force, see {@link #removalsToExecute}).
 */
public record MembershipPlan(List<Member> adds, List<Member> removes, List<Skipped> skipped,
        Map<String, String> removalGuards) {

    public MembershipPlan {
        adds = List.copyOf(adds);
        removes = List.copyOf(removes);
        skipped = List.copyOf(skipped);
        removalGuards = Map.copyOf(removalGuards);
    }

    public boolean hasNoWrites() {
        return adds.isEmpty() && removes.isEmpty();
    }

    public List<Member> removalsToExecute(boolean force) {
        if (force) {
            return removes;
        }
        return removes.stream().filter(m -> !removalGuards.containsKey(m.cohortIdnumber())).toList();
    }

    public record Member(String cohortIdnumber, UserKey key, long moodleUserId) {
    }

    /** A member that cannot be added or removed yet (e.g. not a Moodle user yet): reported, not an error. */
    public record Skipped(String cohortIdnumber, UserKey key, String reason) {
    }
}
