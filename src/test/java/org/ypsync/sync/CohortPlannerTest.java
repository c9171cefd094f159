package org.ypsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CohortPlannerTest {
    static final DesiredCohort S1 = new DesiredCohort("SITE_S1", "SITE1", null, CohortFamily.SITE);
    static final DesiredCohort G1 = new DesiredCohort("GRP_846001", "BTS MCO 1", "2025-2026",
            CohortFamily.DIPLOMA_GROUP);

    static CohortLink link(DesiredCohort c, long id) {
        return new CohortLink(c.idnumber(), id, c.written());
    }

    @Test
    void newCohortsAreCreatedAndKnownOnesUnchanged() {
        CohortPlan p = CohortPlanner.plan(List.of(G1, S1), Map.of("SITE_S1", link(S1, 3)), Map.of());
        assertEquals(List.of(new CohortPlan.Create(G1)), p.creates());
        assertEquals(1, p.unchanged());
        assertTrue(p.updates().isEmpty() && p.left().isEmpty() && p.rejections().isEmpty());
        assertEquals(Map.of("idnumber", "SITE_S1", "name", "SITE1", "description", ""), S1.written());
    }

    @Test
    void renameIsAnUpdateCarryingTheFullRecord() {
        DesiredCohort renamed = new DesiredCohort("GRP_846001", "BTS MCO 1A", "2025-2026", CohortFamily.DIPLOMA_GROUP);
        CohortPlan p = CohortPlanner.plan(List.of(renamed), Map.of("GRP_846001", link(G1, 9)), Map.of());
        CohortPlan.Update u = p.updates().get(0);
        assertEquals(9, u.moodleId());
        assertEquals(renamed, u.cohort(), "update_cohorts is not a patch: the whole record goes");
        assertEquals(Map.of("name", new FieldChange("BTS MCO 1", "BTS MCO 1A")), u.changes());
        assertEquals(0, p.unchanged());
    }

    @Test
    void existingCohortWithTheIdnumberIsAdopted() {
        MoodleCohort handmade = new MoodleCohort(12, "SITE_S1", "Site 1 (old)", "");
        CohortPlan p = CohortPlanner.plan(List.of(S1), Map.of(), Map.of("SITE_S1", handmade));
        assertTrue(p.creates().isEmpty());
        assertEquals(new CohortPlan.Adoption(S1, 12, Map.of("name", new FieldChange("Site 1 (old)", "SITE1"))),
                p.adoptions().get(0));
        CohortPlan same = CohortPlanner.plan(List.of(S1), Map.of(), Map.of("SITE_S1",
                new MoodleCohort(12, "SITE_S1", "SITE1", null)));
        assertTrue(same.adoptions().get(0).changes().isEmpty());
        assertTrue(same.hasNoWrites());
    }

    @Test
    void cohortsNoLongerDesiredAreLeftAsTheyAre() {
        CohortPlan p = CohortPlanner.plan(List.of(S1), Map.of("SITE_S1", link(S1, 3), "GRP_846001", link(G1, 9)),
                Map.of());
        assertEquals(List.of(link(G1, 9)), p.left());
        assertTrue(p.hasNoWrites());
    }

    @Test
    void badOrDuplicateCohortsAreRejected() {
        DesiredCohort noName = new DesiredCohort("GRP_1", " ", null, CohortFamily.DIPLOMA_GROUP);
        DesiredCohort dup = new DesiredCohort("SITE_S1", "Other", null, CohortFamily.SITE);
        DesiredCohort longId = new DesiredCohort("X".repeat(101), "n", null, CohortFamily.FC_GROUP);
        CohortPlan p = CohortPlanner.plan(List.of(S1, noName, dup, longId), Map.of(), Map.of());
        assertEquals(List.of(S1), p.creates().stream().map(CohortPlan.Create::cohort).toList());
        assertEquals(3, p.rejections().size());
        assertEquals(List.of("missing name", "duplicate cohort idnumber in NetYpareo data: only the first one is used",
                "idnumber longer than 100 characters"),
                p.rejections().stream().map(CohortPlan.Rejection::reason).toList());
    }

    @Test
    void aMoodleCohortLinkedUnderAnotherIdnumberIsNotAdoptedTwice() {
        CohortLink old = new CohortLink("SITE_OLD", 12, Map.of("idnumber", "SITE_OLD", "name", "x", "description", ""));
        CohortPlan p = CohortPlanner.plan(List.of(S1), Map.of("SITE_OLD", old), Map.of("SITE_S1",
                new MoodleCohort(12, "SITE_S1", "x", "")));
        assertTrue(p.adoptions().isEmpty() && p.creates().isEmpty());
        assertTrue(p.rejections().get(0).reason().contains("already linked to [SITE_OLD]"));
    }

    @Test
    void driftRestoresHandEditedCohortsAndReportsDeletedOnes() {
        Map<String, CohortLink> links = Map.of("SITE_S1", link(S1, 3), "GRP_846001", link(G1, 9));
        CohortPlan p = CohortPlanner.drift(List.of(S1, G1), links, Map.of(3L,
                new MoodleCohort(3, "SITE_S1", "Renamed by hand", ""), 9L,
                new MoodleCohort(9, "GRP_846001", "BTS MCO 1", "2025-2026")));
        assertEquals(1, p.unchanged());
        CohortPlan.Update u = p.updates().get(0);
        assertEquals(S1, u.cohort());
        assertEquals(Map.of("name", new FieldChange("Renamed by hand", "SITE1")), u.changes());

        CohortPlan gone = CohortPlanner.drift(List.of(S1), links, Map.of());
        assertTrue(gone.rejections().get(0).reason().contains("not found"));
        assertTrue(gone.hasNoWrites());
        // a cohort no longer desired is not repaired
        assertTrue(CohortPlanner.drift(List.of(), links, Map.of()).rejections().isEmpty());
    }
}
