package org.ypsync.sync;

import java.util.List;
import java.util.Map;

/**
 * Cohort actions of one run. Updates and adoptions carry the full desired record (update_cohorts is not a patch)
 * plus the changed fields for display. Cohorts no longer desired are left as they are (reported, never deleted).
 */
public record CohortPlan(List<Create> creates, List<Adoption> adoptions, List<Update> updates, List<CohortLink> left,
        List<Rejection> rejections, int unchanged) {

    public CohortPlan {
        creates = List.copyOf(creates);
        adoptions = List.copyOf(adoptions);
        updates = List.copyOf(updates);
        left = List.copyOf(left);
        rejections = List.copyOf(rejections);
    }

    public boolean hasNoWrites() {
        return creates.isEmpty() && updates.isEmpty() && adoptions.stream().allMatch(a -> a.changes().isEmpty());
    }

    public record Create(DesiredCohort cohort) {
    }

    /** An existing cohort with the desired idnumber, not linked yet: link it, update it when changes is not empty. */
    public record Adoption(DesiredCohort cohort, long moodleId, Map<String, FieldChange> changes) {
        public Adoption {
            changes = Map.copyOf(changes);
        }
    }

    public record Update(DesiredCohort cohort, long moodleId, Map<String, FieldChange> changes) {
        public Update {
            changes = Map.copyOf(changes);
        }
    }

    public record Rejection(String idnumber, String name, CohortFamily family, String reason) {
    }
}
