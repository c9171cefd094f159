package org.ypsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserPlannerTest {
    static final UserSyncSettings S = UserSyncSettings.defaults();

    static DesiredUser student(String id, String login, String first, String last, String email) {
        return new DesiredUser(0, UserKind.STUDENT, id, login, first, last, email, true, Set.of("SITE_S1"));
    }

    static DesiredUser inactive(DesiredUser d) {
        return new DesiredUser(d.instanceIndex(), d.kind(), d.netypareoId(), d.login(), d.firstName(), d.lastName(),
                d.email(), false, d.siteCohortIdnumbers());
    }

    static DesiredUser withEmail(DesiredUser d, String email) {
        return new DesiredUser(d.instanceIndex(), d.kind(), d.netypareoId(), d.login(), d.firstName(), d.lastName(),
                email, d.active(), d.siteCohortIdnumbers());
    }

    /** The link ypsync would hold after creating d with settings s. */
    static UserLink linkFor(DesiredUser d, long moodleId, UserSyncSettings s, boolean suspendedByUs) {
        UserPlan p = UserPlanner.plan(List.of(d), Map.of(), Map.of(), s, new Random(1));
        assertEquals(1, p.creates().size(), p.rejections().toString());
        return new UserLink(d.key(), moodleId, p.creates().get(0).written(), suspendedByUs);
    }

    static Map<UserKey, UserLink> links(UserLink... ls) {
        Map<UserKey, UserLink> m = new HashMap<>();
        for (UserLink l : ls) {
            m.put(l.key(), l);
        }
        return m;
    }

    static UserPlan plan(List<DesiredUser> desired, Map<UserKey, UserLink> links) {
        return UserPlanner.plan(desired, links, Map.of(), S, new Random(1));
    }

    final DesiredUser jean = student("6106273", "Apprenant10007", "Jean", "Dupont", "jean.dupont@example.fr");
    final DesiredUser lea = student("6116669", "apprenant10105", "Léa", "Martin", "lea.martin@example.fr");

    @Test
    void newStudentIsCreatedWithTheMoodleFieldsAndAPolicyPassword() {
        UserPlan p = plan(List.of(jean), Map.of());
        assertEquals(1, p.creates().size());
        UserPlan.Create c = p.creates().get(0);
        Map<String, String> expected = Map.of("username", "apprenant10007", "firstname", "Jean", "lastname", "Dupont",
                "email", "jean.dupont@example.fr", "idnumber", "6106273", "auth", "manual",
                "profile_field_netypareo_usertype", "student");
        assertEquals(expected, c.fields());
        assertEquals(expected, c.written());
        assertTrue(Passwords.meetsDefaultPolicy(c.password()));
        assertFalse(c.createPassword());
        Map<String, Object> ws = c.moodleUser();
        assertEquals(List.of("username", "firstname", "lastname", "email", "idnumber", "auth", "password",
                "customfields"), List.copyOf(ws.keySet()));
        assertEquals(List.of(Map.of("type", "netypareo_usertype", "value", "student")), ws.get("customfields"));
        assertFalse(c.toString().contains(c.password()), "password must not leak into toString");
        assertFalse(c.written().containsValue(c.password()), "password must not be stored in the link");
        assertEquals(0, p.unchanged());
        assertTrue(p.suspensionGuard().isEmpty());
    }

    @Test
    void passwordModesFollowAuth() {
        UserPlan.Create moodleMails = UserPlanner.plan(List.of(jean), Map.of(), Map.of(),
                S.withCreatePassword(true), new Random(1)).creates().get(0);
        assertNull(moodleMails.password());
        assertTrue(moodleMails.createPassword());
        assertEquals(1, moodleMails.moodleUser().get("createpassword"));
        assertFalse(moodleMails.moodleUser().containsKey("password"));

        UserPlan.Create sso = UserPlanner.plan(List.of(jean), Map.of(), Map.of(), S.withAuth("cas"),
                new Random(1)).creates().get(0);
        assertNull(sso.password());
        assertFalse(sso.createPassword());
        assertEquals("cas", sso.fields().get("auth"));
        assertFalse(sso.moodleUser().containsKey("password"));
        assertFalse(sso.moodleUser().containsKey("createpassword"));
    }

    @Test
    void userTypeFieldCanBeTurnedOffAndTutorsAndTeachersCarryTheirType() {
        UserPlan.Create c = UserPlanner.plan(List.of(jean), Map.of(), Map.of(), S.withUserTypeField(null),
                new Random(1)).creates().get(0);
        assertFalse(c.moodleUser().containsKey("customfields"));
        assertFalse(c.fields().keySet().stream().anyMatch(UserFields::isCustom));

        DesiredUser tutor = new DesiredUser(0, UserKind.TUTOR, "7557909", "entreprise42", "Paul", "Tuteur",
                "paul@example.fr", true, Set.of());
        DesiredUser teacher = new DesiredUser(1, UserKind.TEACHER, "300626", "formateur1", "Anne", "Prof",
                "anne@example.fr", true, Set.of());
        UserPlan p = plan(List.of(tutor, teacher), Map.of());
        assertEquals("tutor", p.creates().get(0).fields().get("profile_field_netypareo_usertype"));
        assertEquals("teacher", p.creates().get(1).fields().get("profile_field_netypareo_usertype"));
        assertEquals("1_300626", p.creates().get(1).idnumber());
    }

    @Test
    void unchangedUserProducesNoActionAtAll() {
        UserPlan p = plan(List.of(jean), links(linkFor(jean, 42, S, false)));
        assertTrue(p.isEmpty(), p.toString());
        assertTrue(p.hasNoWrites());
        assertEquals(1, p.unchanged());
        // cosmetic whitespace in NetYpareo is not a change
        DesiredUser spaced = student("6106273", " Apprenant10007 ", " Jean ", "Dupont", " jean.dupont@example.fr ");
        assertTrue(plan(List.of(spaced), links(linkFor(jean, 42, S, false))).isEmpty());
    }

    @Test
    void changedFieldsGiveAnUpdateWithOnlyThoseFields() {
        DesiredUser moved = new DesiredUser(0, UserKind.STUDENT, "6106273", "Apprenant10007", "Jean", "Dupont-Durand",
                "jean.dd@example.fr", true, Set.of("SITE_S2"));
        UserPlan p = plan(List.of(moved), links(linkFor(jean, 42, S, false)));
        assertEquals(1, p.updates().size());
        UserPlan.Update u = p.updates().get(0);
        assertEquals(42, u.moodleId());
        assertEquals(Map.of("lastname", new FieldChange("Dupont", "Dupont-Durand"),
                "email", new FieldChange("jean.dupont@example.fr", "jean.dd@example.fr")), u.changes());
        assertEquals(Map.of("id", 42L, "lastname", "Dupont-Durand", "email", "jean.dd@example.fr"),
                u.moodleUpdate());
        assertEquals(0, p.unchanged());
        assertTrue(p.creates().isEmpty() && p.suspensions().isEmpty() && p.revivals().isEmpty());
    }

    @Test
    void changingTheAuthSettingUpdatesLinkedUsers() {
        UserPlan p = UserPlanner.plan(List.of(jean), links(linkFor(jean, 42, S, false)), Map.of(),
                S.withAuth("oidc"), new Random(1));
        assertEquals(Map.of("auth", new FieldChange("manual", "oidc")), p.updates().get(0).changes());
    }

    @Test
    void leaversAreSuspendedNeverDeletedAndOnlyOnce() {
        UserLink l = linkFor(jean, 42, S, false);
        UserPlan gone = plan(List.of(), links(l));
        assertEquals(1, gone.suspensions().size());
        assertEquals("no longer in NetYpareo", gone.suspensions().get(0).reason());
        assertEquals(42, gone.suspensions().get(0).moodleId());
        assertEquals("apprenant10007", gone.suspensions().get(0).username());

        UserPlan notActive = plan(List.of(inactive(jean)), links(l));
        assertEquals(1, notActive.suspensions().size());
        assertEquals("not active in NetYpareo", notActive.suspensions().get(0).reason());
        assertTrue(notActive.updates().isEmpty());

        UserLink suspended = linkFor(jean, 42, S, true);
        assertTrue(plan(List.of(), links(suspended)).isEmpty());
        assertTrue(plan(List.of(inactive(jean)), links(suspended)).isEmpty());
    }

    @Test
    void inactivePeopleWithoutAccountGetNone() {
        UserPlan p = plan(List.of(inactive(jean)), Map.of());
        assertTrue(p.isEmpty());
        assertEquals(1, p.inactiveWithoutAccount());
    }

    @Test
    void returnersAreRevivedAndTheirChangesWritten() {
        UserLink suspended = linkFor(jean, 42, S, true);
        UserPlan p = plan(List.of(jean), links(suspended));
        assertEquals(1, p.revivals().size());
        assertEquals(42, p.revivals().get(0).moodleId());
        assertTrue(p.updates().isEmpty());

        UserPlan changed = plan(List.of(withEmail(jean, "new@example.fr")), links(suspended));
        assertEquals(1, changed.revivals().size());
        assertEquals(Set.of("email"), changed.updates().get(0).changes().keySet());
    }

    @Test
    void badDataIsRejectedWithAReasonAndNeverSuspends() {
        List<DesiredUser> bad = List.of(student("1", "a1", "A", "B", ""), student("2", "a2", "A", "B", "not-an-email"),
                student("3", "***", "A", "B", "c@example.fr"), student("4", "a4", " ", "B", "d@example.fr"),
                student("5", null, "A", "B", "e@example.fr"), student("6", "a6", "A", "", "f@example.fr"));
        UserPlan p = plan(bad, Map.of());
        assertTrue(p.creates().isEmpty());
        assertEquals(List.of("missing e-mail", "invalid e-mail <not-an-email>",
                "login '***' gives no usable Moodle username", "missing first name", "missing login",
                "missing last name"), p.rejections().stream().map(UserPlan.Rejection::reason).toList());

        // a linked person whose new data is bad keeps the account as it was: no update, no suspension
        UserPlan linked = plan(List.of(withEmail(jean, "broken@")), links(linkFor(jean, 42, S, false)));
        assertEquals(1, linked.rejections().size());
        assertTrue(linked.hasNoWrites());
    }

    @Test
    void sharedEmailRejectsTheSecondPersonUnlessAllowed() {
        DesiredUser sibling = student("6116669", "apprenant10105", "Léa", "Dupont", "JEAN.DUPONT@example.fr");
        UserPlan p = plan(List.of(sibling, jean), Map.of());
        assertEquals(1, p.creates().size());
        assertEquals(jean.key(), p.creates().get(0).key(), "lower NetYpareo id first");
        assertEquals(sibling.key(), p.rejections().get(0).key());
        assertTrue(p.rejections().get(0).reason().contains("shared with student 6106273"),
                p.rejections().get(0).reason());

        UserPlan allowed = UserPlanner.plan(List.of(sibling, jean), Map.of(), Map.of(), S.withAllowSharedEmail(true),
                new Random(1));
        assertEquals(2, allowed.creates().size());
        assertTrue(allowed.rejections().isEmpty());
    }

    @Test
    void theLinkedHolderOfAnEmailKeepsItEvenIfANewcomerSortsFirst() {
        DesiredUser holder = student("900", "holder", "H", "H", "family@example.fr");
        DesiredUser newcomer = student("100", "newcomer", "N", "N", "family@example.fr");
        UserPlan p = plan(List.of(newcomer, holder), links(linkFor(holder, 7, S, false)));
        assertEquals(1, p.unchanged());
        assertEquals(newcomer.key(), p.rejections().get(0).key());
        assertTrue(p.creates().isEmpty());
        // a suspended leaver's account still holds its e-mail in Moodle
        UserPlan afterLeave = plan(List.of(newcomer), links(linkFor(holder, 7, S, true)));
        assertEquals(newcomer.key(), afterLeave.rejections().get(0).key());
    }

    @Test
    void sameLoginInTwoInstancesIsNeverMerged() {
        DesiredUser a0 = new DesiredUser(0, UserKind.STUDENT, "500", "jdupont", "Jean", "Dupont", "j0@example.fr",
                true, Set.of());
        DesiredUser a1 = new DesiredUser(1, UserKind.STUDENT, "100", "JDupont", "Jeanne", "Dupont", "j1@example.fr",
                true, Set.of());
        UserPlan p = plan(List.of(a1, a0), Map.of());
        assertEquals(List.of(a0.key()), p.creates().stream().map(UserPlan.Create::key).toList());
        assertEquals(a1.key(), p.rejections().get(0).key());
        assertTrue(p.rejections().get(0).reason().contains("username [jdupont] is already used by student 500"));

        // whoever already has the account keeps it, whatever the order
        UserPlan q = plan(List.of(a1, a0), links(linkFor(a1, 9, S, false)));
        assertEquals(1, q.unchanged());
        assertEquals(a0.key(), q.rejections().get(0).key());
        assertTrue(q.creates().isEmpty());
    }

    @Test
    void duplicateRecordsForOneKeyUseTheFirst() {
        UserPlan p = plan(List.of(jean, withEmail(jean, "other@example.fr")), Map.of());
        assertEquals(1, p.creates().size());
        assertEquals(1, p.rejections().size());
        assertTrue(p.rejections().get(0).reason().startsWith("duplicate NetYpareo record"));
    }

    @Test
    void renameOntoAnotherPersonsUsernameIsRejected() {
        UserLink lj = linkFor(jean, 1, S, false);
        UserLink ll = linkFor(lea, 2, S, false);
        DesiredUser jeanRenamed = student("6106273", "apprenant10105", "Jean", "Dupont", "jean.dupont@example.fr");
        UserPlan p = plan(List.of(jeanRenamed, lea), links(lj, ll));
        assertEquals(1, p.rejections().size());
        assertEquals(jean.key(), p.rejections().get(0).key());
        assertTrue(p.updates().isEmpty());

        // a login change to a free username is a plain update
        DesiredUser jeanFree = student("6106273", "jean.dupont", "Jean", "Dupont", "jean.dupont@example.fr");
        UserPlan q = plan(List.of(jeanFree, lea), links(lj, ll));
        assertEquals(Map.of("username", new FieldChange("apprenant10007", "jean.dupont")),
                q.updates().get(0).changes());

        // ... unless an unmanaged Moodle account already has it
        MoodleAccount handmade = new MoodleAccount(77, "jean.dupont", "", "J", "D", "x@example.fr", "manual", false,
                null);
        UserPlan r = UserPlanner.plan(List.of(jeanFree, lea), links(lj, ll), Map.of("jean.dupont", handmade), S,
                new Random(1));
        assertTrue(r.updates().isEmpty());
        assertTrue(r.rejections().get(0).reason().contains("id 77"));
    }

    @Test
    void knownUnmanagedAccountsBlockCreatesThatMoodleWouldRefuse() {
        UserSyncSettings idn = S.withMatch(MatchMode.IDNUMBER);
        MoodleAccount squatter = new MoodleAccount(70, "apprenant10007", "", "X", "Y", "x@example.fr", "manual",
                false, null);
        MoodleAccount sameMail = new MoodleAccount(71, "someone", "", "X", "Y", "LEA.MARTIN@example.fr", "manual",
                false, null);
        UserPlan p = UserPlanner.plan(List.of(jean, lea), Map.of(), Map.of(), List.of(squatter, sameMail), idn,
                new Random(1));
        assertTrue(p.creates().isEmpty());
        assertEquals(List.of("username [apprenant10007] is already used by another Moodle account (id 70)",
                "e-mail <lea.martin@example.fr> is already used by another Moodle account (id 71)"
                        + " and Moodle does not allow shared e-mails"),
                p.rejections().stream().map(UserPlan.Rejection::reason).toList());
        UserPlan shared = UserPlanner.plan(List.of(lea), Map.of(), Map.of(), List.of(sameMail),
                idn.withAllowSharedEmail(true), new Random(1));
        assertEquals(1, shared.creates().size());
        // the person's own account (linked or being adopted) does not block it
        UserPlan own = UserPlanner.plan(List.of(jean), links(linkFor(jean, 70, S, false)), Map.of(),
                List.of(squatter), idn, new Random(1));
        assertTrue(own.rejections().isEmpty(), own.toString());
    }

    @Test
    void existingAccountIsAdoptedAndOnlyDifferingFieldsWritten() {
        MoodleAccount existing = new MoodleAccount(55, "apprenant10007", "", "Jean", "DUPONT",
                "jean.dupont@example.fr", "manual", true, null);
        UserPlan p = UserPlanner.plan(List.of(jean), Map.of(), Map.of("apprenant10007", existing), S, new Random(1));
        assertTrue(p.creates().isEmpty());
        UserPlan.Adoption a = p.adoptions().get(0);
        assertEquals(55, a.moodleId());
        assertEquals(Map.of("lastname", new FieldChange("DUPONT", "Dupont"), "idnumber", new FieldChange("", "6106273"),
                "profile_field_netypareo_usertype", new FieldChange(null, "student")), a.changes());
        assertTrue(a.unsuspend(), "an active person gets a working account");
        assertEquals("6106273", a.written().get("idnumber"));
        Map<String, Object> ws = a.moodleUpdate().orElseThrow();
        assertEquals(0, ws.get("suspended"));
        assertEquals(55L, ws.get("id"));
        assertEquals(List.of(Map.of("type", "netypareo_usertype", "value", "student")), ws.get("customfields"));

        MoodleAccount identical = new MoodleAccount(56, "apprenant10007", "6106273", "Jean", "Dupont",
                "jean.dupont@example.fr", "manual", false, "student");
        UserPlan q = UserPlanner.plan(List.of(jean), Map.of(), Map.of("apprenant10007", identical), S, new Random(1));
        assertFalse(q.adoptions().get(0).writes());
        assertTrue(q.hasNoWrites());
        assertFalse(q.isEmpty(), "the adoption still has to be recorded as a link");
    }

    @Test
    void anAccountTypedAsAnotherKindIsNotAdopted() {
        MoodleAccount teacherAccount = new MoodleAccount(55, "apprenant10007", "300", "Jean", "Dupont",
                "prof@example.fr", "manual", false, "teacher");
        UserPlan p = UserPlanner.plan(List.of(jean), Map.of(), Map.of("apprenant10007", teacherAccount), S,
                new Random(1));
        assertTrue(p.adoptions().isEmpty() && p.creates().isEmpty());
        assertTrue(p.rejections().get(0).reason().contains("is a teacher account, not a student"));
        // with the type field off, the type is not known and the username decides
        UserPlan off = UserPlanner.plan(List.of(jean), Map.of(), Map.of("apprenant10007", teacherAccount),
                S.withUserTypeField(null), new Random(1));
        assertEquals(1, off.adoptions().size());
    }

    @Test
    void accountLinkedToSomeoneElseIsNeverTakenOver() {
        DesiredUser other = new DesiredUser(1, UserKind.STUDENT, "1", "apprenant10007", "X", "Y", "xy@example.fr",
                true, Set.of());
        UserLink ownerLink = new UserLink(other.key(), 55, Map.of("username", "something-else"), false);
        MoodleAccount existing = new MoodleAccount(55, "apprenant10007", "1_1", "X", "Y", "xy@example.fr", "manual",
                false, "student");
        UserPlan p = UserPlanner.plan(List.of(jean), links(ownerLink), Map.of("apprenant10007", existing), S,
                new Random(1));
        assertTrue(p.adoptions().isEmpty() && p.creates().isEmpty());
        assertTrue(p.rejections().get(0).reason().contains("already linked to student 1 (instance 1)"),
                p.rejections().get(0).reason());
    }

    @Test
    void twoPeopleMatchingOneAccountAdoptOnce() {
        DesiredUser teacher = new DesiredUser(0, UserKind.TEACHER, "300", "Apprenant10007", "Jean", "Dupont",
                "prof@example.fr", true, Set.of());
        MoodleAccount existing = new MoodleAccount(55, "apprenant10007", "", "Jean", "Dupont",
                "jean.dupont@example.fr", "manual", false, null);
        UserPlan p = UserPlanner.plan(List.of(teacher, jean), Map.of(), Map.of("apprenant10007", existing), S,
                new Random(1));
        assertEquals(List.of(jean.key()), p.adoptions().stream().map(UserPlan.Adoption::key).toList());
        assertEquals(teacher.key(), p.rejections().get(0).key());
        assertTrue(p.rejections().get(0).reason().contains("two NetYpareo people, one Moodle account"));
    }

    @Test
    void idnumberModeUsesTheUserTypeToTellCodeSequencesApart() {
        UserSyncSettings s = S.withMatch(MatchMode.IDNUMBER);
        DesiredUser st = student("123", "eleve", "E", "L", "e@example.fr");
        DesiredUser te = new DesiredUser(0, UserKind.TEACHER, "123", "prof", "P", "R", "p@example.fr", true, Set.of());
        MoodleAccount stAcc = new MoodleAccount(1, "old.eleve", "123", "E", "L", "e@example.fr", "manual", false,
                "student");
        MoodleAccount teAcc = new MoodleAccount(2, "prof", "123", "P", "R", "p@example.fr", "manual", false, "teacher");
        Map<String, MoodleAccount> idx = UserPlanner.indexByMatchKey(List.of(stAcc, teAcc), MatchMode.IDNUMBER);
        UserPlan p = UserPlanner.plan(List.of(st, te), Map.of(), idx, s, new Random(1));
        assertEquals(2, p.adoptions().size());
        assertEquals(1, p.adoptions().get(0).moodleId());
        assertEquals(Map.of("username", new FieldChange("old.eleve", "eleve")), p.adoptions().get(0).changes());
        assertEquals(2, p.adoptions().get(1).moodleId());
        assertTrue(p.adoptions().get(1).changes().isEmpty());

        // an untyped account with that idnumber matches either kind, but only one person gets it
        MoodleAccount untyped = new MoodleAccount(3, "x", "123", "E", "L", "e@example.fr", "manual", false, null);
        UserPlan q = UserPlanner.plan(List.of(st, te), Map.of(),
                UserPlanner.indexByMatchKey(List.of(untyped), MatchMode.IDNUMBER), s, new Random(1));
        assertEquals(List.of(st.key()), q.adoptions().stream().map(UserPlan.Adoption::key).toList());
        assertEquals(te.key(), q.rejections().get(0).key());

        // instance 1 codes are looked up with their prefix
        DesiredUser st1 = new DesiredUser(1, UserKind.STUDENT, "123", "eleve1", "E", "L", "e1@example.fr", true,
                Set.of());
        assertEquals("student|1_123", UserPlanner.matchKey(st1, MatchMode.IDNUMBER).orElseThrow());
        UserPlan r = UserPlanner.plan(List.of(st1), Map.of(), idx, s, new Random(1));
        assertEquals(1, r.creates().size(), "1_123 is not 123");
    }

    @Test
    void suspensionGuardHoldsBackMassSuspensions() {
        List<UserLink> ls = new ArrayList<>();
        List<DesiredUser> all = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            DesiredUser d = student(String.valueOf(i), "u" + i, "F", "L", "u" + i + "@example.fr");
            all.add(d);
            ls.add(linkFor(d, i, S, false));
        }
        Map<UserKey, UserLink> lm = links(ls.toArray(UserLink[]::new));
        UserPlan oneLeaver = plan(all.subList(0, 4), lm);
        assertEquals(1, oneLeaver.suspensions().size());
        assertTrue(oneLeaver.suspensionGuard().isEmpty(), "1 of 5 must not trip");
        assertEquals(1, oneLeaver.suspensionsToExecute(false).size());

        UserPlan twoLeavers = plan(all.subList(0, 3), lm);
        assertTrue(twoLeavers.suspensionGuard().isPresent());
        assertTrue(twoLeavers.suspensionsToExecute(false).isEmpty());
        assertEquals(2, twoLeavers.suspensionsToExecute(true).size());
        assertTrue(twoLeavers.suspensionGuard().get().contains("2 of 5"), twoLeavers.suspensionGuard().get());
    }

    @Test
    void alreadySuspendedLeaversDoNotDiluteTheGuard() {
        Map<UserKey, UserLink> lm = new HashMap<>();
        List<DesiredUser> stay = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            DesiredUser d = student(String.valueOf(i), "u" + i, "F", "L", "u" + i + "@example.fr");
            boolean oldLeaver = i > 10;
            lm.put(d.key(), linkFor(d, i, S, oldLeaver));
            if (i <= 8) {
                stay.add(d);
            }
        }
        UserPlan p = plan(stay, lm);
        assertEquals(2, p.suspensions().size());
        assertEquals(10, p.managedPopulation());
        assertTrue(p.suspensionGuard().isPresent(), "2 of the 10 working accounts is over 10%");
    }

    @Test
    void planningIsDeterministic() {
        List<DesiredUser> d = List.of(lea, jean, student("3", "x", "X", "Y", "jean.dupont@example.fr"));
        UserPlan a = UserPlanner.plan(d, Map.of(), Map.of(), S, new Random(5));
        UserPlan b = UserPlanner.plan(List.of(d.get(2), d.get(0), d.get(1)), Map.of(), Map.of(), S, new Random(5));
        assertEquals(a, b);
    }

    @Test
    void driftRepairsHandEditsToWhatWeWrote() {
        UserLink l = linkFor(jean, 42, S, false);
        MoodleAccount edited = new MoodleAccount(42, "apprenant10007", "6106273", "Jean", "Dupont",
                "hand@example.fr", "manual", true, "student");
        UserPlan p = UserPlanner.drift(List.of(jean), links(l), Map.of(42L, edited), S);
        assertEquals(Map.of("email", new FieldChange("hand@example.fr", "jean.dupont@example.fr")),
                p.updates().get(0).changes());
        assertEquals(1, p.revivals().size(), "suspended by hand while active");

        MoodleAccount clean = new MoodleAccount(42, "apprenant10007", "6106273", "Jean", "Dupont",
                "jean.dupont@example.fr", "manual", false, "student");
        UserPlan none = UserPlanner.drift(List.of(jean), links(l), Map.of(42L, clean), S);
        assertTrue(none.isEmpty());
        assertEquals(1, none.unchanged());

        MoodleAccount typeCleared = new MoodleAccount(42, "apprenant10007", "6106273", "Jean", "Dupont",
                "jean.dupont@example.fr", "manual", false, null);
        assertEquals(Set.of("profile_field_netypareo_usertype"),
                UserPlanner.drift(List.of(jean), links(l), Map.of(42L, typeCleared), S).updates().get(0).changes()
                        .keySet());
    }

    @Test
    void driftResuspendsHandRevivedLeaversAndReportsMissingAccounts() {
        UserLink ours = linkFor(jean, 42, S, true);
        MoodleAccount unsuspended = new MoodleAccount(42, "apprenant10007", "6106273", "Jean", "Dupont",
                "other@example.fr", "manual", false, "student");
        UserPlan p = UserPlanner.drift(List.of(inactive(jean)), links(ours), Map.of(42L, unsuspended), S);
        assertEquals(1, p.suspensions().size());
        assertTrue(p.updates().isEmpty(), "leavers' fields are not repaired");

        // suspended by hand, and NetYpareo agrees he is gone: nothing to repair
        MoodleAccount handSuspended = new MoodleAccount(42, "apprenant10007", "6106273", "Jean", "Dupont",
                "jean.dupont@example.fr", "manual", true, "student");
        assertTrue(UserPlanner.drift(List.of(), links(linkFor(jean, 42, S, false)), Map.of(42L, handSuspended), S)
                .hasNoWrites());

        UserPlan m = UserPlanner.drift(List.of(jean), links(linkFor(jean, 42, S, false)), Map.of(), S);
        assertEquals(List.of(jean.key()), m.missingAccounts());
        assertTrue(m.hasNoWrites());
        assertFalse(m.isEmpty());
    }
}
