package org.ypsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipPlannerTest {
    static UserKey k(String id) {
        return new UserKey(0, UserKind.STUDENT, id);
    }

    @Test
    void addsRemovesAndSkipsPerCohort() {
        Map<String, Set<UserKey>> desired = Map.of("SITE_S1", Set.of(k("1"), k("2"), k("3")), "SITE_S2", Set.of());
        Map<String, Set<UserKey>> current = Map.of("SITE_S1", Set.of(k("1"), k("4")), "SITE_S2", Set.of(k("5")),
                "GRP_9", Set.of(k("1")));
        Map<UserKey, Long> ids = Map.of(k("1"), 11L, k("2"), 12L, k("4"), 14L, k("5"), 15L);
        MembershipPlan p = MembershipPlanner.plan(desired, current, ids);
        assertEquals(List.of(new MembershipPlan.Member("SITE_S1", k("2"), 12)), p.adds());
        assertEquals(List.of(new MembershipPlan.Member("SITE_S1", k("4"), 14),
                new MembershipPlan.Member("SITE_S2", k("5"), 15)), p.removes());
        assertEquals(List.of(new MembershipPlan.Skipped("SITE_S1", k("3"), "not a Moodle user yet")), p.skipped());
        assertTrue(p.removalGuards().isEmpty(), "small cohorts are not guarded");
        // GRP_9 is not desired at all: its members are left alone
        assertTrue(p.removes().stream().noneMatch(m -> m.cohortIdnumber().equals("GRP_9")));
    }

    @Test
    void unchangedMembershipIsEmpty() {
        Map<String, Set<UserKey>> m = Map.of("SITE_S1", Set.of(k("1"), k("2")));
        MembershipPlan p = MembershipPlanner.plan(m, m, Map.of(k("1"), 1L, k("2"), 2L));
        assertTrue(p.hasNoWrites());
        assertTrue(p.skipped().isEmpty());
    }

    @Test
    void removalGuardHoldsBackMassRemovalsPerCohort() {
        Set<UserKey> big = new HashSet<>();
        Map<UserKey, Long> ids = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            big.add(k("" + i));
            ids.put(k("" + i), (long) i + 100);
        }
        Set<UserKey> afterTen = new HashSet<>(big);
        for (int i = 0; i < 10; i++) {
            afterTen.remove(k("" + i));
        }
        Set<UserKey> afterEleven = new HashSet<>(afterTen);
        afterEleven.remove(k("10"));
        MembershipPlan ok = MembershipPlanner.plan(Map.of("SITE_A", afterTen), Map.of("SITE_A", big), ids);
        assertTrue(ok.removalGuards().isEmpty(), "10 of 20 at share 0.5 is allowed");
        assertEquals(10, ok.removalsToExecute(false).size());

        MembershipPlan held = MembershipPlanner.plan(Map.of("SITE_A", afterEleven, "SITE_B", Set.of(k("0"))),
                Map.of("SITE_A", big, "SITE_B", Set.of()), ids);
        assertTrue(held.removalGuards().containsKey("SITE_A"));
        assertEquals(11, held.removes().size());
        assertTrue(held.removalsToExecute(false).isEmpty());
        assertEquals(11, held.removalsToExecute(true).size());
        assertEquals(1, held.adds().size(), "adds are never held back");
    }

    @Test
    void desiredSiteMembersSeedEveryCohortAndSkipInactive() {
        DesiredUser a = new DesiredUser(0, UserKind.STUDENT, "1", "a", "A", "A", "a@x.fr", true, Set.of("SITE_S1"));
        DesiredUser b = new DesiredUser(0, UserKind.STUDENT, "2", "b", "B", "B", "b@x.fr", false, Set.of("SITE_S1"));
        DesiredUser c = new DesiredUser(0, UserKind.TUTOR, "3", "c", "C", "C", "c@x.fr", true,
                Set.of("SITE_S1", "SITE_UNKNOWN"));
        Map<String, Set<UserKey>> m = MembershipPlanner.desiredSiteMembers(List.of("SITE_S1", "SITE_S2"),
                List.of(a, b, c), false);
        assertEquals(Map.of("SITE_S1", Set.of(a.key(), c.key()), "SITE_S2", Set.of()), m);
        assertEquals(Set.of(a.key(), b.key(), c.key()),
                MembershipPlanner.desiredSiteMembers(List.of("SITE_S1"), List.of(a, b, c), true).get("SITE_S1"));
    }
}
