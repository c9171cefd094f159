package org.ypsync.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plans cohort member adds and removes. Only cohorts present in desired are planned (an empty set empties the
 * cohort, subject to the removal guard); cohorts absent from desired keep their members. Members that are not
 * ypsync users never appear in current (the glue cannot map them to a key), so hand-added members are never removed.
 */
public final class MembershipPlanner {
    private MembershipPlanner() {
    }

    public static MembershipPlan plan(Map<String, Set<UserKey>> desired, Map<String, Set<UserKey>> current,
            Map<UserKey, Long> moodleIds) {
        return plan(desired, current, moodleIds, Guards.DEFAULT_MAX_REMOVAL_SHARE, Guards.DEFAULT_MIN_COHORT_SIZE);
    }

    public static MembershipPlan plan(Map<String, Set<UserKey>> desired, Map<String, Set<UserKey>> current,
            Map<UserKey, Long> moodleIds, double maxRemovalShare, int minCohortSize) {
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(moodleIds, "moodleIds");
        List<MembershipPlan.Member> adds = new ArrayList<>();
        List<MembershipPlan.Member> removes = new ArrayList<>();
        List<MembershipPlan.Skipped> skipped = new ArrayList<>();
        Map<String, String> guards = new TreeMap<>();
        for (Map.Entry<String, Set<UserKey>> e : new TreeMap<>(desired).entrySet()) {
            String cohort = e.getKey();
            Set<UserKey> want = new TreeSet<>(e.getValue());
            Set<UserKey> have = new TreeSet<>(current.getOrDefault(cohort, Set.of()));
            into(adds, cohort, want, have, moodleIds, skipped, "not a Moodle user yet");
            int removals = into(removes, cohort, have, want, moodleIds, skipped,
                    "no Moodle user id known, cannot remove");
            Guards.removals(cohort, removals, have.size(), maxRemovalShare, minCohortSize)
                    .ifPresent(r -> guards.put(cohort, r));
        }
        return new MembershipPlan(adds, removes, skipped, guards);
    }

    /**
     * The members of {@code from} that {@code except} does not hold, into {@code out} with their Moodle ids; one with
     * no Moodle id is skipped for {@code noIdReason}. How many went into {@code out}.
     */
    private static int into(List<MembershipPlan.Member> out, String cohort, Set<UserKey> from, Set<UserKey> except,
            Map<UserKey, Long> moodleIds, List<MembershipPlan.Skipped> skipped, String noIdReason) {
        int n = 0;
        for (UserKey k : from) {
            if (except.contains(k)) {
                continue;
            }
            Long id = moodleIds.get(k);
            if (id == null) {
                skipped.add(new MembershipPlan.Skipped(cohort, k, noIdReason));
            } else {
                out.add(new MembershipPlan.Member(cohort, k, id));
                n++;
            }
        }
        return n;
    }

    /**
     * Desired site-cohort members from the desired users: every listed site cohort gets an entry (possibly empty, so
     * people who moved away are removed); inactive people are members only when includeInactive.
     */
    public static Map<String, Set<UserKey>> desiredSiteMembers(Collection<String> siteCohortIdnumbers,
            Collection<DesiredUser> users, boolean includeInactive) {
        Map<String, Set<UserKey>> m = new TreeMap<>();
        siteCohortIdnumbers.forEach(c -> m.put(c, new TreeSet<>()));
        for (DesiredUser u : users) {
            if (!u.active() && !includeInactive) {
                continue;
            }
            for (String c : u.siteCohortIdnumbers()) {
                Set<UserKey> set = m.get(c);
                if (set != null) {
                    set.add(u.key());
                }
            }
        }
        return m;
    }
}
