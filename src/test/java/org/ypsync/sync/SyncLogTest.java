package org.ypsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncLogTest {
    static final UserSyncSettings S = UserSyncSettings.defaults();

    @Test
    void linesHaveTheShapeOperatorsKnow() {
        assertEquals("Site cohort updated: SITE1 [SITE_S1]", SyncLog.line(new CohortPlan.Update(
                new DesiredCohort("SITE_S1", "SITE1", "", CohortFamily.SITE), 1, Map.of())));
        assertEquals("Site cohort updated: CFPPH [1_SITE_CFPPH]",
                SyncLog.cohort(CohortFamily.SITE, "updated", "CFPPH", Naming.siteCohortIdnumber(1, "CFPPH")));
        assertEquals("Site cohort created: Jean-François CHAMPOLLION [1_SITE_CHAMPO]", SyncLog.line(
                new CohortPlan.Create(new DesiredCohort("1_SITE_CHAMPO", "Jean-François CHAMPOLLION", "",
                        CohortFamily.SITE))));
        assertEquals("Group cohort updated: BTS MCO 1 [GRP_846001]",
                SyncLog.cohort(CohortFamily.DIPLOMA_GROUP, "updated", "BTS MCO 1", "GRP_846001"));
        assertEquals("FC group cohort created: SST recyclage [FC_846021]", SyncLog.line(new CohortPlan.Create(
                new DesiredCohort("FC_846021", "SST recyclage", "", CohortFamily.FC_GROUP))));
        assertEquals("Site cohort left: SITE9 [SITE_S9] (no longer in NetYpareo, left as it is)",
                SyncLog.left(new CohortLink("SITE_S9", 4, Map.of("name", "SITE9"))));

        assertEquals("User student updated: [apprenant10007] [6106273]", SyncLog.line(new UserPlan.Update(
                new UserKey(0, UserKind.STUDENT, "6106273"), 5, "apprenant10007", "6106273", Map.of())));
        assertEquals("User tutor updated: [interlocuteur10] [300626]",
                SyncLog.user(UserKind.TUTOR, "updated", "interlocuteur10", "300626"));
        DesiredUser tutor = new DesiredUser(0, UserKind.TUTOR, "7557909", "Entreprise42", "P", "T", "p@example.fr",
                true, Set.of());
        UserPlan p = UserPlanner.plan(List.of(tutor), Map.of(), Map.of(), S, new Random(1));
        assertEquals("User tutor created: [entreprise42] [7557909]", SyncLog.line(p.creates().get(0)));
        UserKey t = new UserKey(1, UserKind.TEACHER, "12");
        assertEquals("User teacher suspended: [prof] [1_12] (no longer in NetYpareo)",
                SyncLog.line(new UserPlan.Suspension(t, 3, "prof", "1_12", "no longer in NetYpareo")));
        assertEquals("User teacher revived: [prof] [1_12]", SyncLog.line(new UserPlan.Revival(t, 3, "prof", "1_12")));
        assertEquals("User teacher rejected: [Pr of] [1_12]: missing e-mail",
                SyncLog.line(new UserPlan.Rejection(t, "Pr of", "missing e-mail")));
    }

    @Test
    void summaryLineCountsEachKindOfAction() {
        List<UserPlan.Create> creates = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            creates.add(new UserPlan.Create(new UserKey(0, UserKind.STUDENT, "" + i), Map.of(), null, false));
        }
        UserKey k = new UserKey(0, UserKind.STUDENT, "9");
        UserPlan p = new UserPlan(creates, List.of(), List.of(new UserPlan.Update(k, 1, "a", "9", Map.of())),
                List.of(), List.of(), List.of(new UserPlan.Rejection(k, "x", "y")), 120, 0, List.of(), 121,
                Optional.empty());
        assertEquals("Users: 3 created, 1 updated, 0 suspended, 0 revived, 120 unchanged, 1 rejected",
                SyncLog.summary(p));
        List<String> lines = SyncLog.lines(p);
        assertEquals(6, lines.size());
        assertEquals("Users: 3 created, 1 updated, 0 suspended, 0 revived, 120 unchanged, 1 rejected",
                lines.get(5));
        CohortPlan c = new CohortPlan(List.of(), List.of(), List.of(), List.of(), List.of(), 5);
        assertEquals("Site cohorts: 0 created, 0 updated, 5 unchanged, 0 left, 0 rejected",
                SyncLog.summary(CohortFamily.SITE.plural(), c));
    }

    @Test
    void dryRunShowsChangesAndVerdictsButNothingUnchangedNorSecret() {
        DesiredUser jean = new DesiredUser(0, UserKind.STUDENT, "6106273", "apprenant10007", "Jean", "Dupont",
                "jean@example.fr", true, Set.of());
        DesiredUser quiet = new DesiredUser(0, UserKind.STUDENT, "1", "quiet", "Q", "Q", "q@example.fr", true, Set.of());
        DesiredUser fresh = new DesiredUser(0, UserKind.STUDENT, "2", "fresh", "F", "F", "f@example.fr", true, Set.of());
        UserLink lj = new UserLink(jean.key(), 42, Map.of("username", "apprenant10007", "firstname", "Jean",
                "lastname", "Dupont", "email", "old@example.fr", "idnumber", "6106273", "auth", "manual",
                "profile_field_netypareo_usertype", "student"), false);
        UserPlan seed = UserPlanner.plan(List.of(quiet), Map.of(), Map.of(), S, new Random(1));
        UserLink lq = new UserLink(quiet.key(), 43, seed.creates().get(0).written(), false);
        UserLink gone = new UserLink(new UserKey(0, UserKind.STUDENT, "3"), 44, Map.of("username", "gone"), false);
        UserLink gone2 = new UserLink(new UserKey(0, UserKind.STUDENT, "4"), 45, Map.of("username", "gone2"), false);
        UserPlan p = UserPlanner.plan(List.of(jean, quiet, fresh), Map.of(jean.key(), lj, quiet.key(), lq,
                gone.key(), gone, gone2.key(), gone2), Map.of(), S, new Random(1));
        String text = PlanText.render("Users", p, false);
        assertTrue(text.contains("update student [apprenant10007] [6106273] (Moodle user id 42)"), text);
        assertTrue(text.contains("email: old@example.fr -> jean@example.fr"), text);
        assertTrue(text.contains("create student [fresh] [2]:"), text);
        assertTrue(text.contains("suspend student [gone] [3] (Moodle user id 44): no longer in NetYpareo"
                + " [HELD BACK by guard]"), text);
        assertTrue(text.contains("GUARD Suspension guard: 2 of 4"), text);
        assertFalse(text.contains("quiet"), "unchanged users print nothing:\n" + text);
        assertFalse(text.contains(p.creates().get(0).password()), "no password in the dry run");
        assertTrue(PlanText.render("Users", p, true).contains("(overridden by --force)"));
        assertFalse(PlanText.render("Users", p, true).contains("HELD BACK"));

        MembershipPlan m = MembershipPlanner.plan(Map.of("SITE_S1", Set.of(jean.key(), fresh.key())),
                Map.of("SITE_S1", Set.of(quiet.key())), Map.of(jean.key(), 42L, quiet.key(), 43L));
        String mt = PlanText.render("Site cohort members", m, false);
        assertTrue(mt.contains("add student 6106273 (Moodle user id 42) to [SITE_S1]"), mt);
        assertTrue(mt.contains("remove student 1 (Moodle user id 43) from [SITE_S1]"), mt);
        assertTrue(mt.contains("skip student 2 in [SITE_S1]: not a Moodle user yet"), mt);

        CohortPlan c = CohortPlanner.plan(List.of(new DesiredCohort("SITE_S1", "SITE1 bis", "", CohortFamily.SITE)),
                Map.of("SITE_S1", new CohortLink("SITE_S1", 3, Map.of("idnumber", "SITE_S1", "name", "SITE1",
                        "description", ""))), Map.of());
        String ct = PlanText.render("Site cohorts", c);
        assertTrue(ct.contains("update site cohort SITE1 bis [SITE_S1] (Moodle cohort id 3)"), ct);
        assertTrue(ct.contains("name: SITE1 -> SITE1 bis"), ct);
    }
}
