package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.ypsync.Launcher;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.moodle.emulator.MoodleUser;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.TutorAccount;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.EmulatedData;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRunner;
import org.ypsync.store.DeadLetterRepository.DeadLetter;

/**
 * Issue 4 end to end: the cache, site-cohorts, users and tutors routes over real HTTP against the NetYpareo and
 * Moodle emulators (two instances), matching on username. Each scenario checks Moodle's final state and how many
 * write calls it took.
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false"})
class UserStagesScenarioTest implements ScenarioExtension.InScenario {
    private final ScenarioWorld world;

    UserStagesScenarioTest(ScenarioWorld world) {
        this.world = world;
    }

    private void firstLoad() {
        world.peopleSynced();
        world.proxy.clear();
    }

    /** A student of instance 0 who must have an account, tutored by nobody, on the given site. */
    private StudentAccount plainStudent(int site) {
        ExpectedMoodle e = world.expected();
        Set<Integer> tutored = new TreeSet<>();
        world.data(DemoEnvironment.FIRST).tutors().forEach(t -> tutored.addAll(t.studentCodes()));
        return world.data(DemoEnvironment.FIRST).students().stream()
                .filter(s -> s.siteCode() != null && s.siteCode() == site && !tutored.contains(s.code()))
                .filter(s -> e.sureActive().stream().anyMatch(p -> p.idnumber().equals(String.valueOf(s.code()))))
                .findFirst().orElseThrow();
    }

    private List<Map<String, String>> updateCalls() {
        return world.proxy.calls("core_user_update_users");
    }

    @Test
    void firstLoadOfTwoInstancesThenAnUnchangedRunWritesNothing() {
        world.ok("cache");
        world.moodle().resetCounters();
        world.ok("site-cohorts");
        assertEquals(1, world.writes(), world.writesByFunction());
        assertEquals(Set.of("SITE_S1", "SITE_S2", "1_SITE_CFPPH", "1_SITE_CFPPH2"), world.cohorts().keySet());
        assertEquals("CFPPH Antenne 2", world.cohort("1_SITE_CFPPH2").name());

        world.moodle().resetCounters();
        world.ok("users");
        // one create_users batch for both instances, one add_members batch for the site cohorts
        assertEquals(1, world.moodle().calls("core_user_create_users"), world.writesByFunction());
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"), world.writesByFunction());
        assertEquals(2, world.writes(), world.writesByFunction());

        world.moodle().resetCounters();
        world.ok("tutors");
        assertEquals(2, world.writes(), world.writesByFunction());

        ExpectedMoodle e = world.expected();
        world.assertUsersMatch(e, Set.of());
        // both instances, all three kinds, with the instance prefix on instance 1
        MoodleUser first = world.userByIdnumber("1000003");
        assertEquals("apprenant1000003", first.username());
        assertEquals(world.userType("student"), first.customfields().get("netypareo_usertype"));
        MoodleUser second = world.userByIdnumber("1_2000003");
        assertEquals("apprenant2000003", second.username());
        assertEquals(world.userType("teacher"), world.userByIdnumber("1_520000").customfields().get("netypareo_usertype"));
        assertEquals(world.userType("tutor"), world.userByIdnumber("310000").customfields().get("netypareo_usertype"));
        // the upper-case login is lower-cased, accents folded
        assertTrue(world.users().stream().allMatch(u -> u.username().equals(u.username().toLowerCase())));
        // the tutor sits in the site cohorts of its students
        TutorAccount tutor = world.data(DemoEnvironment.FIRST).tutors().get(0);
        assertTrue(world.memberIdnumbers(e.people.get(String.valueOf(tutor.code())).siteCohorts().iterator().next())
                .contains(String.valueOf(tutor.code())));
        // records Moodle would refuse were dead-lettered, not written: no e-mail
        int noEmail = (int) e.people.values().stream().filter(p -> p.active() && !p.valid()).count();
        assertTrue(noEmail > 0);
        assertTrue(world.store().deadLetters().list("users").stream()
                .anyMatch(d -> d.reason().contains("missing e-mail")));

        world.moodle().resetCounters();
        List<StageRun> again = List.of(world.one("cache", false, false), world.one("site-cohorts", false, false),
                world.one("users", false, false), world.one("tutors", false, false));
        assertEquals(StageRun.Outcome.RECORDS_FAILED, StageRunner.outcome(again), "the rejected records fail again");
        assertEquals(0, world.writes(), "an unchanged run writes nothing: " + world.writesByFunction());
        world.assertUsersMatch(world.expected(), Set.of());
    }

    @Test
    void aRenameWritesOnlyTheName() {
        firstLoad();
        StudentAccount s = plainStudent(10);
        world.data(DemoEnvironment.FIRST).renameStudent(s.code(), "Lefèvre", s.firstName());
        world.ok("cache");
        world.one("users", false, false);
        assertEquals(1, world.writes(), world.writesByFunction());
        List<Map<String, String>> calls = updateCalls();
        assertEquals(1, calls.size());
        assertEquals(Set.of("users[0][id]", "users[0][lastname]"), userKeys(calls.get(0)), calls.get(0).toString());
        assertEquals("Lefèvre", world.userByIdnumber(String.valueOf(s.code())).lastname());
        world.assertReported("User student updated: [" + s.login() + "]");
        world.assertUsersMatch(world.expected(), Set.of());
    }

    private static Set<String> userKeys(Map<String, String> call) {
        Set<String> keys = new TreeSet<>(call.keySet());
        keys.removeIf(k -> !k.startsWith("users["));
        return keys;
    }

    @Test
    void aNewEmailWritesOnlyTheEmail() {
        firstLoad();
        StudentAccount s = plainStudent(11);
        world.data(DemoEnvironment.FIRST).setStudentEmail(s.code(), "new." + s.code() + "@mail.example.net");
        world.ok("cache", "users", "tutors");
        assertEquals(1, world.writes(), world.writesByFunction());
        assertEquals(Set.of("users[0][id]", "users[0][email]"), userKeys(updateCalls().get(0)));
        assertEquals("new." + s.code() + "@mail.example.net", world.userByIdnumber(String.valueOf(s.code())).email());
        world.assertUsersMatch(world.expected(), Set.of());
    }

    @Test
    void aSiteMoveLeavesTheOldSiteCohortAndJoinsTheNew() {
        firstLoad();
        StudentAccount s = plainStudent(10);
        String id = String.valueOf(s.code());
        assertTrue(world.memberIdnumbers("SITE_S1").contains(id));
        world.data(DemoEnvironment.FIRST).moveStudentToSite(s.code(), 11);
        world.ok("cache", "users", "tutors");
        assertEquals(0, world.moodle().calls("core_user_update_users"), "the site is not a user field");
        assertEquals(1, world.moodle().calls("core_cohort_delete_cohort_members"));
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"));
        assertEquals(2, world.writes(), world.writesByFunction());
        assertFalse(world.memberIdnumbers("SITE_S1").contains(id));
        assertTrue(world.memberIdnumbers("SITE_S2").contains(id));
        world.assertUsersMatch(world.expected(), Set.of());
    }

    @Test
    void aLeaverIsSuspendedAndLeavesItsSiteCohortThenComesBack() {
        firstLoad();
        StudentAccount s = plainStudent(10);
        String id = String.valueOf(s.code());
        long moodleId = world.userByIdnumber(id).id();
        world.data(DemoEnvironment.FIRST).setLeavingDate(s.code(), LocalDate.now().minusDays(1));
        world.ok("cache", "users", "tutors");
        assertEquals(1, world.moodle().calls("core_user_update_users"));
        assertEquals(1, world.moodle().calls("core_cohort_delete_cohort_members"));
        assertEquals(2, world.writes(), world.writesByFunction());
        assertEquals(Set.of("users[0][id]", "users[0][suspended]"), userKeys(updateCalls().get(0)));
        MoodleUser suspended = world.moodle().user(moodleId).orElseThrow();
        assertTrue(suspended.suspended());
        assertFalse(suspended.deleted(), "never deleted");
        assertFalse(world.memberIdnumbers("SITE_S1").contains(id));
        world.assertReported("User student suspended: [" + s.login() + "]");
        world.assertUsersMatch(world.expected(), Set.of());

        // unchanged: the suspended leaver costs nothing
        world.assertReRunWritesNothing("cache", "users", "tutors");

        // the returner is revived, with the same account, back in its site cohort
        world.moodle().resetCounters();
        world.proxy.clear();
        world.data(DemoEnvironment.FIRST).setLeavingDate(s.code(), null);
        world.ok("cache", "users", "tutors");
        assertEquals(1, world.moodle().calls("core_user_update_users"));
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"));
        assertEquals(2, world.writes(), world.writesByFunction());
        assertFalse(world.moodle().user(moodleId).orElseThrow().suspended());
        assertTrue(world.memberIdnumbers("SITE_S1").contains(id));
        world.assertReported("User student revived: [" + s.login() + "]");
        world.assertUsersMatch(world.expected(), Set.of());
    }

    @Test
    void aStudentGoneFromNetYpareoIsSuspendedAndRevivedWhenBack() {
        firstLoad();
        StudentAccount s = plainStudent(11);
        long moodleId = world.userByIdnumber(String.valueOf(s.code())).id();
        world.data(DemoEnvironment.FIRST).removeStudent(s.code());
        world.ok("cache", "users", "tutors");
        assertEquals(2, world.writes(), world.writesByFunction());
        assertTrue(world.moodle().user(moodleId).orElseThrow().suspended());
        world.assertUsersMatch(world.expected(), Set.of(String.valueOf(s.code())));

        world.moodle().resetCounters();
        world.data(DemoEnvironment.FIRST).putStudent(s);
        world.ok("cache", "users", "tutors");
        assertEquals(2, world.writes(), world.writesByFunction());
        assertFalse(world.moodle().user(moodleId).orElseThrow().suspended());
        world.assertUsersMatch(world.expected(), Set.of());
    }

    @Test
    void aHandMadeAccountIsAdoptedNotDuplicated() {
        StudentAccount s = world.data(DemoEnvironment.FIRST).students().get(0);
        long handMade = world.moodle().createUser(s.login(), "Jerome", "DARC", "old@example.org", "", "manual");
        world.prepared("cache", "site-cohorts");
        world.ok("users");
        // the others created in one batch, the adopted account updated, everybody into the site cohorts
        assertEquals(1, world.moodle().calls("core_user_create_users"));
        assertEquals(1, world.moodle().calls("core_user_update_users"));
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"));
        assertEquals(3, world.writes(), world.writesByFunction());
        world.ok("tutors");
        List<MoodleUser> same = world.users().stream().filter(u -> u.username().equals(s.login())).toList();
        assertEquals(1, same.size(), same.toString());
        MoodleUser adopted = same.get(0);
        assertEquals(handMade, adopted.id());
        assertEquals(String.valueOf(s.code()), adopted.idnumber());
        assertEquals(s.lastName(), adopted.lastname());
        assertEquals(s.email(), adopted.email());
        assertEquals(world.userType("student"), adopted.customfields().get("netypareo_usertype"));
        assertTrue(world.memberIdnumbers("SITE_S1").contains(String.valueOf(s.code())));
        world.assertUsersMatch(world.expected(), Set.of());

        world.assertReRunWritesNothing("cache", "site-cohorts", "users", "tutors");
    }

    @Test
    void aLoginSharedByTwoInstancesIsNeverMerged() {
        List<StudentAccount> both = world.sameLoginInBothInstances();
        DeadLetter dl = world.assertTheLoginStaysWithInstanceZero(both);
        assertEquals(2, world.writes(), "one create batch, one member batch: " + world.writesByFunction());
        StudentAccount first = both.get(0);
        assertTrue(dl.reason().contains("not merged"), dl.reason());
        assertEquals(1, dl.instanceIndex());

        world.moodle().resetCounters();
        world.one("users", false, false);
        assertEquals(0, world.writes(), "the rejection is not retried as a write: " + world.writesByFunction());
        assertEquals(String.valueOf(first.code()), world.user(first.login()).orElseThrow().idnumber());
    }

    @Test
    void aSharedEmailIsDeadLetteredWithTheReason() {
        // the generator's siblings (positions 8 and 9) share the family address
        StudentAccount a = world.data(DemoEnvironment.FIRST).students().get(8);
        StudentAccount b = world.data(DemoEnvironment.FIRST).students().get(9);
        assertEquals(a.email(), b.email());
        world.prepared("cache", "site-cohorts");
        world.one("users", false, false);
        assertEquals(1, world.moodle().calls("core_user_create_users"), "rejected before Moodle sees it");
        assertEquals(2, world.writes(), world.writesByFunction());
        List<MoodleUser> holders = world.users().stream().filter(u -> a.email().equalsIgnoreCase(u.email())).toList();
        assertEquals(1, holders.size(), holders.toString());
        assertEquals(String.valueOf(a.code()), holders.get(0).idnumber(), "the first one keeps the address");
        assertTrue(world.moodle().usersByIdnumber(String.valueOf(b.code())).isEmpty());
        DeadLetter dl = world.store().deadLetters().list("users").stream()
                .filter(d -> d.recordKey().contains(String.valueOf(b.code()))).findFirst().orElseThrow();
        assertTrue(dl.reason().contains("shared") && dl.reason().contains(a.email()), dl.reason());
    }

    @Test
    void aMassDisappearanceTripsTheGuardUntilForced() {
        firstLoad();
        int managed = world.users().size();
        EmulatedData d = world.data(DemoEnvironment.FIRST);
        ExpectedMoodle before = world.expected();
        List<Integer> leaving = d.students().stream().map(StudentAccount::code)
                .filter(c -> before.sureActive().stream().anyMatch(p -> p.idnumber().equals(String.valueOf(c))))
                .limit(12).toList();
        assertTrue(leaving.size() > managed / 10 + 1, "more than 10 % of " + managed);
        d.removeStudents(leaving);
        // the cache guard sees the tutors' links fall too: accepted here, the users stage is under test
        world.one("cache", false, true);
        world.moodle().resetCounters();
        StageRun refused = world.one("users", false, false);
        assertEquals(StageRun.Outcome.FAILED, refused.outcome());
        assertTrue(refused.summary().contains("sync.guard.max-suspensions") && refused.summary().contains("--force"),
                refused.summary());
        assertEquals(0, world.writes(), "nothing written: " + world.writesByFunction());
        assertTrue(world.users().stream().noneMatch(MoodleUser::suspended));

        StageRun forced = world.one("users", false, true);
        assertEquals(StageRun.Outcome.RECORDS_FAILED, forced.outcome(), "only the usual rejections: "
                + forced.summary());
        assertEquals(12, forced.counts().suspended());
        assertEquals(1, world.moodle().calls("core_user_update_users"));
        assertEquals(1, world.moodle().calls("core_cohort_delete_cohort_members"));
        Set<String> gone = new TreeSet<>();
        leaving.forEach(c -> gone.add(String.valueOf(c)));
        world.ok("tutors");
        world.assertUsersMatch(world.expected(), gone);
    }

    @Test
    void aDryRunWritesNothingAndShowsThePlan() {
        firstLoad();
        StudentAccount renamed = plainStudent(10);
        StudentAccount leaver = plainStudent(11);
        world.data(DemoEnvironment.FIRST).renameStudent(renamed.code(), "Zola", renamed.firstName());
        world.data(DemoEnvironment.FIRST).setLeavingDate(leaver.code(), LocalDate.now().minusDays(2));
        world.ok("cache");
        world.moodle().resetCounters();
        StageRun dry = world.one("users", true, false);
        assertEquals(0, world.writes(), world.writesByFunction());
        String plan = String.join("\n", dry.planLines());
        assertTrue(plan.contains("update student [" + renamed.login() + "]"), plan);
        assertTrue(plan.contains("lastname: " + renamed.lastName() + " -> Zola"), plan);
        assertTrue(plan.contains("suspend student [" + leaver.login() + "]"), plan);
        assertTrue(plan.contains("remove student " + leaver.code()) && plan.contains("from [SITE_S2]"), plan);
        assertEquals(renamed.lastName(), world.userByIdnumber(String.valueOf(renamed.code())).lastname());
        assertFalse(world.userByIdnumber(String.valueOf(leaver.code())).suspended());

        // the same plan, executed
        world.ok("users");
        assertEquals(2, world.writes(), world.writesByFunction());
        world.assertUsersMatch(world.expected(), Set.of());
    }

    @Test
    void handEditsInMoodleAreRepaired() {
        firstLoad();
        StudentAccount s = plainStudent(10);
        StudentAccount t = plainStudent(11);
        MoodleUser edited = world.userByIdnumber(String.valueOf(s.code()));
        MoodleUser suspended = world.userByIdnumber(String.valueOf(t.code()));
        world.moodle().editUser(edited.id(), u -> u.withFirstname("Hand").withEmail("hand@example.org"));
        world.moodle().editUser(suspended.id(), u -> u.withSuspended(true));
        long site = world.cohort("SITE_S1").id();
        world.moodle().editCohort(site, c -> c.withName("Renamed by hand"));
        StudentAccount m = plainStudent(11);
        MoodleUser removed = world.userByIdnumber(String.valueOf(m.code()));
        world.moodle().removeMember(world.cohort("SITE_S2").id(), removed.id());
        world.ok("cache", "site-cohorts", "users", "tutors");
        assertEquals(1, world.moodle().calls("core_cohort_update_cohorts"));
        assertEquals(1, world.moodle().calls("core_user_update_users"), "one batch repairs both users");
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"), "the member removed by hand");
        assertEquals(3, world.writes(), world.writesByFunction());
        assertTrue(world.memberIdnumbers("SITE_S2").contains(String.valueOf(m.code())));
        assertEquals("SITE1", world.cohort("SITE_S1").name());
        MoodleUser repaired = world.moodle().user(edited.id()).orElseThrow();
        assertEquals(s.firstName(), repaired.firstname());
        assertEquals(s.email(), repaired.email());
        assertFalse(world.moodle().user(suspended.id()).orElseThrow().suspended());
        world.assertUsersMatch(world.expected(), Set.of());

        world.assertReRunWritesNothing("cache", "site-cohorts", "users", "tutors");
    }

    @Test
    void aTutorFollowsItsStudentsSites() {
        firstLoad();
        EmulatedData d = world.data(DemoEnvironment.FIRST);
        ExpectedMoodle e = world.expected();
        TutorAccount tutor = d.tutors().stream()
                .filter(t -> e.sureActive().stream().anyMatch(p -> p.idnumber().equals(String.valueOf(t.code()))))
                .filter(t -> e.people.get(String.valueOf(t.code())).siteCohorts().contains("SITE_S1"))
                .findFirst().orElseThrow();
        String id = String.valueOf(tutor.code());
        assertTrue(world.memberIdnumbers("SITE_S1").contains(id));
        tutor.studentCodes().forEach(c -> d.moveStudentToSite(c, 11));
        world.ok("cache", "users");
        world.moodle().resetCounters();
        world.ok("tutors");
        // one add batch if some tutor gains a site cohort, one removal batch if some tutor loses one
        ExpectedMoodle after = world.expected();
        boolean gains = false;
        boolean losses = false;
        for (ExpectedMoodle.Person p : after.sureActive()) {
            ExpectedMoodle.Person was = e.people.get(p.idnumber());
            if (p.type().equals("tutor") && was != null) {
                gains |= !was.siteCohorts().containsAll(p.siteCohorts());
                losses |= !p.siteCohorts().containsAll(was.siteCohorts());
            }
        }
        assertTrue(losses);
        assertEquals((gains ? 1 : 0) + 1, world.writes(), world.writesByFunction());
        assertFalse(world.memberIdnumbers("SITE_S1").contains(id));
        assertTrue(world.memberIdnumbers("SITE_S2").contains(id));
        world.assertUsersMatch(world.expected(), Set.of());
        assertNotNull(world.userByIdnumber(id));
    }

    @Test
    void anAccountMadeByHandWithThePersonsEmailIsNeitherMergedNorRetried() {
        StudentAccount s = plainStudent(10);
        long other = world.moodle().createUser("someone.else", "Someone", "Else", s.email(), "", "manual");
        world.foreign.add("");
        world.prepared("cache", "site-cohorts");
        StageRun users = world.one("users", false, false);
        assertEquals(StageRun.Outcome.RECORDS_FAILED, users.outcome(), users.summary());
        assertEquals(1, world.moodle().calls("core_user_create_users"), world.writesByFunction());
        assertEquals("someone.else", world.moodle().user(other).orElseThrow().username());
        assertTrue(world.moodle().usersByIdnumber(String.valueOf(s.code())).isEmpty());
        DeadLetter dl = world.store().deadLetters().list("users").stream()
                .filter(d -> d.recordKey().contains(String.valueOf(s.code()))).findFirst().orElseThrow();
        assertTrue(dl.reason().contains(s.email()) && dl.reason().contains("another Moodle account"), dl.reason());
        ExpectedMoodle e = world.expected();
        e.contested.add(String.valueOf(s.code()));
        world.ok("tutors");
        world.assertUsersMatch(e, Set.of());

        world.moodle().resetCounters();
        world.one("users", false, false);
        assertEquals(0, world.writes(), "the refused record is not sent again: " + world.writesByFunction());
    }

    @Test
    void aHandEditAndANetYpareoChangeOfOnePersonAreWrittenTogether() {
        firstLoad();
        StudentAccount s = plainStudent(10);
        MoodleUser u = world.userByIdnumber(String.valueOf(s.code()));
        world.moodle().editUser(u.id(), x -> x.withFirstname("Edited"));
        world.data(DemoEnvironment.FIRST).renameStudent(s.code(), "Nouveau-Nom", s.firstName());
        world.ok("cache", "users");
        assertEquals(1, world.writes(), world.writesByFunction());
        assertEquals(Set.of("users[0][id]", "users[0][firstname]", "users[0][lastname]"), userKeys(updateCalls().get(0)));
        MoodleUser after = world.moodle().user(u.id()).orElseThrow();
        assertEquals(s.firstName(), after.firstname());
        assertEquals("Nouveau-Nom", after.lastname());

        world.assertReRunWritesNothing("cache", "users");
    }

    @Test
    void aReturnerWithANewNameIsRevivedAndRenamedOnce() {
        firstLoad();
        StudentAccount s = plainStudent(11);
        world.data(DemoEnvironment.FIRST).setLeavingDate(s.code(), LocalDate.now().minusDays(1));
        world.ok("cache", "users");
        world.data(DemoEnvironment.FIRST).setLeavingDate(s.code(), null);
        world.data(DemoEnvironment.FIRST).renameStudent(s.code(), "Revenu", s.firstName());
        world.ok("cache");
        world.moodle().resetCounters();
        world.ok("users");
        assertEquals(1, world.moodle().calls("core_user_update_users"));
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"));
        MoodleUser back = world.userByIdnumber(String.valueOf(s.code()));
        assertFalse(back.suspended());
        assertEquals("Revenu", back.lastname());

        world.moodle().resetCounters();
        world.ok("cache", "users");
        assertEquals(0, world.writes(), "the rename is remembered with the revival: " + world.writesByFunction());
        world.assertUsersMatch(world.expected(), Set.of());
    }

    @Test
    void aSiteNoLongerInUseLeavesItsCohortAsItIs() {
        firstLoad();
        Set<String> before = world.memberIdnumbers("SITE_S2");
        assertTrue(before.size() >= 10, "guarded by the removal guard if emptied: " + before);
        world.data(DemoEnvironment.FIRST).putSite(new org.ypsync.netypareo.Site(11, "SITE2", "S2", true));
        world.ok("cache", "site-cohorts", "users", "tutors");
        assertEquals(0, world.writes(), world.writesByFunction());
        assertEquals(before, world.memberIdnumbers("SITE_S2"), "left as it is, like a group gone");
        world.assertReported("[SITE_S2] (no longer in NetYpareo, left as it is)");
        world.assertUsersMatch(world.expected(), Set.of());
    }

    @Test
    void aNewLoginWritesOnlyTheUsername() {
        firstLoad();
        StudentAccount s = plainStudent(10);
        world.data(DemoEnvironment.FIRST).setStudentLogin(s.code(), "Jérôme.Nouveau");
        world.ok("cache", "users", "tutors");
        assertEquals(1, world.writes(), world.writesByFunction());
        assertEquals(Set.of("users[0][id]", "users[0][username]"), userKeys(updateCalls().get(0)));
        assertEquals("jerome.nouveau", world.userByIdnumber(String.valueOf(s.code())).username());
        world.assertUsersMatch(world.expected(), Set.of());
    }

    @Test
    void aLostAnswerToACreateDuplicatesNobody() {
        world.ok("cache", "site-cohorts");
        world.moodle().resetConnectionAfterProcessing("core_user_create_users", 1);
        StageRun users = world.one("users", false, false);
        assertFalse(users.outcome() == StageRun.Outcome.FAILED, users.summary());
        world.ok("tutors");
        world.assertUsersMatch(world.expected(), Set.of());
        world.moodle().resetCounters();
        world.ok("cache", "site-cohorts", "users", "tutors");
        assertEquals(0, world.writes(), "every account was linked: " + world.writesByFunction());
    }

    @Test
    void aRevokedTokenFailsTheStageAndTheNextRunCatchesUp() {
        world.ok("cache", "site-cohorts");
        world.moodle().revokeToken();
        StageRun refused = world.one("users", false, false);
        assertEquals(StageRun.Outcome.FAILED, refused.outcome());
        assertTrue(refused.summary().contains("invalidtoken"), refused.summary());
        assertFalse(refused.summary().contains(world.env.properties().get("moodle.token")), "no token in the summary");
        assertTrue(world.users().isEmpty());
        world.moodle().useToken(world.env.properties().get("moodle.token"));
        world.ok("users", "tutors");
        world.assertUsersMatch(world.expected(), Set.of());
        world.assertReRunWritesNothing("cache", "site-cohorts", "users", "tutors");
    }

    @Test
    void maintenanceDuringTheRunIsCaughtUpByTheNextRun() {
        firstLoad();
        StudentAccount s = plainStudent(10);
        world.data(DemoEnvironment.FIRST).renameStudent(s.code(), "Pendant", s.firstName());
        world.ok("cache");
        world.moodle().maintenanceForNextCalls(50);
        StageRun during = world.one("users", false, false);
        assertTrue(during.outcome() != StageRun.Outcome.OK, during.summary());
        world.moodle().clearFaults();
        world.ok("users", "tutors");
        assertEquals("Pendant", world.userByIdnumber(String.valueOf(s.code())).lastname());
        world.assertUsersMatch(world.expected(), Set.of());
        world.assertReRunWritesNothing("cache", "site-cohorts", "users", "tutors");
    }

    @Test
    void anAccountDeletedByHandIsMadeAgain() {
        firstLoad();
        StudentAccount s = plainStudent(10);
        MoodleUser deleted = world.userByIdnumber(String.valueOf(s.code()));
        world.moodle().deleteUser(deleted.id());
        world.ok("cache", "site-cohorts", "users", "tutors");
        assertEquals(1, world.moodle().calls("core_user_create_users"), world.writesByFunction());
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"), world.writesByFunction());
        assertEquals(2, world.writes(), world.writesByFunction());
        MoodleUser again = world.userByIdnumber(String.valueOf(s.code()));
        assertTrue(again.id() != deleted.id());
        assertTrue(world.memberIdnumbers("SITE_S1").contains(String.valueOf(s.code())));
        world.assertUsersMatch(world.expected(), Set.of());

        world.assertReRunWritesNothing("cache", "site-cohorts", "users", "tutors");
    }

    @Test
    void theDeletedAccountOfALeaverIsForgotten() {
        firstLoad();
        StudentAccount s = plainStudent(11);
        world.data(DemoEnvironment.FIRST).setLeavingDate(s.code(), LocalDate.now().minusDays(1));
        world.ok("cache", "users");
        world.moodle().deleteUser(world.userByIdnumber(String.valueOf(s.code())).id());
        world.moodle().resetCounters();
        world.clearReport();
        world.ok("cache", "users", "tutors");
        assertEquals(0, world.writes(), world.writesByFunction());
        assertTrue(world.reportLines().stream().anyMatch(l -> l.contains("missing in Moodle") && l.contains("forgotten")),
                world.reportLines().toString());
        world.clearReport();
        world.ok("cache", "users", "tutors");
        assertEquals(0, world.writes(), world.writesByFunction());
        assertTrue(world.reportLines().stream().noneMatch(l -> l.contains(String.valueOf(s.code()))),
                "said once: " + world.reportLines());

        // back: a new account
        world.data(DemoEnvironment.FIRST).setLeavingDate(s.code(), null);
        world.ok("cache", "users", "tutors");
        assertFalse(world.userByIdnumber(String.valueOf(s.code())).suspended());
        world.assertUsersMatch(world.expected(), Set.of());
    }

    @Test
    void aTutorRenamedThenGoneIsUpdatedThenSuspendedAndLeavesItsSiteCohorts() {
        firstLoad();
        ExpectedMoodle e = world.expected();
        TutorAccount tutor = world.data(DemoEnvironment.FIRST).tutors().stream()
                .filter(t -> e.sureActive().stream().anyMatch(p -> p.idnumber().equals(String.valueOf(t.code()))))
                .filter(t -> !e.people.get(String.valueOf(t.code())).siteCohorts().isEmpty())
                .findFirst().orElseThrow();
        String id = String.valueOf(tutor.code());
        String cohort = e.people.get(id).siteCohorts().iterator().next();
        world.data(DemoEnvironment.FIRST).updateTutor(tutor.code(), t -> new TutorAccount(t.code(), t.login(), "Durand",
                t.firstName(), t.email(), t.companyCode(), t.studentCodes()));
        world.ok("cache", "users");
        world.moodle().resetCounters();
        world.ok("tutors");
        assertEquals(1, world.writes(), world.writesByFunction());
        assertEquals(Set.of("users[0][id]", "users[0][lastname]"), userKeys(updateCalls().get(0)));
        world.assertReported("User tutor updated: [" + tutor.login() + "] [" + id + "]");

        world.data(DemoEnvironment.FIRST).removeTutor(tutor.code());
        world.ok("cache", "users");
        world.moodle().resetCounters();
        world.ok("tutors");
        assertEquals(1, world.moodle().calls("core_user_update_users"));
        assertEquals(1, world.moodle().calls("core_cohort_delete_cohort_members"));
        assertEquals(2, world.writes(), world.writesByFunction());
        assertTrue(world.userByIdnumber(id).suspended());
        assertFalse(world.memberIdnumbers(cohort).contains(id));
        world.assertUsersMatch(world.expected(), Set.of(id));
    }

    @Test
    void hundredsOfSiteCohortMembersGoInOneAddCall() throws Exception {
        world.reset(DataSetSize.SMALL);
        world.prepared("cache", "site-cohorts");
        world.proxy.clear();
        StageRun users = world.one("users", false, false);
        long added = world.moodle().itemsWritten("core_cohort_add_cohort_members", "added");
        assertTrue(added > 400, added + " members; " + users.summary());
        // moodle.max-records-per-batch.core_cohort_add_cohort_members = 1000: every member of the run in one call,
        // 4 fields each, under the emulator's max_input_vars of 5000 (which drops the fields past it, as PHP does)
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"), world.writesByFunction());
        List<Map<String, String>> calls = world.proxy.calls("core_cohort_add_cohort_members");
        assertEquals(1, calls.size());
        int fields = calls.get(0).size();
        assertTrue(fields >= 4 * added && fields <= 4800, fields + " form fields for " + added + " members");
        world.ok("tutors");
        world.assertUsersMatch(world.expected(), Set.of()); // every member in its site cohort: none lost
    }

    @Test
    void hundredsOfPeopleGoInFullBatchesAndAReRunWritesNothing() throws Exception {
        world.reset(DataSetSize.SMALL);
        world.prepared("cache", "site-cohorts");
        StageRun users = world.one("users", false, false);
        int created = users.counts().created();
        assertTrue(created > 400, users.summary());
        // moodle.max-records-per-batch = 100
        assertEquals((created + 99) / 100, world.moodle().calls("core_user_create_users"), users.summary());
        assertEquals(created, world.moodle().itemsWritten("core_user_create_users", "created"));
        world.ok("tutors", "groups", "fc-groups");
        world.assertUsersMatch(world.expected(), Set.of());
        world.assertGroupsMatch(world.expected(), Set.of());

        world.assertReRunWritesNothing("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");
    }
}
