package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.ypsync.Launcher;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.EmulatedData;
import org.ypsync.ops.StageRun;

/**
 * Issue 5 end to end: diploma groups (GRP_) and FC groups (FC_) of two instances become cohorts through the real
 * routes, against the emulators. The FC window reaches 90 days back here, so an FC group can be in the window yet
 * past its end plus sync.fc.grace-days (30).
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false",
        "sync.fc.window-past-days=90"})
class GroupStagesScenarioTest implements ScenarioExtension.InScenario {
    private static final int FIRST_GROUP = 846000;
    private static final int SECOND_GROUP = 846001;
    private static final int THIRD_GROUP = 846002;
    /** The generator's FC groups: running, ended long ago (outside the window), upcoming. */
    private static final int RUNNING_FC = 846003;
    private static final int ENDED_FC = 846004;
    private static final int UPCOMING_FC = 846005;
    private static final int OLD_PERIOD_GROUP = 846006;

    private final ScenarioWorld world;

    GroupStagesScenarioTest(ScenarioWorld world) {
        this.world = world;
    }

    private void load() {
        world.peopleSynced();
        groups(StageRun.Outcome.OK);
        world.moodle().resetCounters();
        world.clearReport();
    }

    private void groups(StageRun.Outcome expected) {
        for (String stage : List.of("groups", "fc-groups")) {
            StageRun run = world.one(stage, false, false);
            assertEquals(expected, run.outcome(), run.summary());
        }
    }

    /** A listed member of the group who has a working Moodle account. */
    private int memberWithAccount(String instance, int group) {
        ExpectedMoodle e = world.expected();
        String prefix = instance.equals(DemoEnvironment.FIRST) ? "" : "1_";
        return world.data(instance).members(group).stream()
                .filter(c -> e.sureActive().stream().anyMatch(p -> p.idnumber().equals(prefix + c)))
                .findFirst().orElseThrow();
    }

    @Test
    void firstLoadOfTwoInstancesThenAnUnchangedRunWritesNothing() {
        world.peopleSynced();
        StageRun groups = world.one("groups", false, false);
        assertEquals(StageRun.Outcome.OK, groups.outcome(), "members without an account are no error: "
                + groups.summary());
        assertEquals(1, world.moodle().calls("core_cohort_create_cohorts"));
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"));
        assertEquals(2, world.writes(), world.writesByFunction());
        world.moodle().resetCounters();
        StageRun fc = world.one("fc-groups", false, false);
        assertEquals(StageRun.Outcome.OK, fc.outcome(), fc.summary());
        assertEquals(2, world.writes(), world.writesByFunction());

        Set<String> cohorts = world.cohorts().keySet();
        for (String p : List.of("", "1_")) {
            for (int g : List.of(FIRST_GROUP, SECOND_GROUP, THIRD_GROUP)) {
                assertTrue(cohorts.contains(p + "GRP_" + g), p + "GRP_" + g + " in " + cohorts);
            }
            assertTrue(cohorts.contains(p + "FC_" + RUNNING_FC));
            assertTrue(cohorts.contains(p + "FC_" + UPCOMING_FC));
            assertFalse(cohorts.contains(p + "FC_" + ENDED_FC), "outside the FC window");
            assertFalse(cohorts.contains(p + "GRP_" + OLD_PERIOD_GROUP), "a class of another period");
        }
        // the same codeGroupe in both instances: two cohorts, each with its own instance's students
        assertEquals(world.data(DemoEnvironment.FIRST).group(FIRST_GROUP).orElseThrow().name(),
                world.cohort("GRP_846000").name());
        assertEquals(world.data(DemoEnvironment.SECOND).group(FIRST_GROUP).orElseThrow().name(),
                world.cohort("1_GRP_846000").name());
        assertTrue(world.memberIdnumbers("GRP_846000").stream().noneMatch(i -> i.startsWith("1_")));
        assertTrue(world.memberIdnumbers("1_GRP_846000").stream().allMatch(i -> i.startsWith("1_")));
        assertFalse(world.memberIdnumbers("1_GRP_846000").isEmpty());
        world.assertGroupsMatch(world.expected(), Set.of());
        // the description names the site, the period and the dates
        org.ypsync.netypareo.Group g = world.data(DemoEnvironment.FIRST).group(FIRST_GROUP).orElseThrow();
        String description = world.cohort("GRP_846000").description();
        assertTrue(description.contains("SITE1") && description.contains(String.valueOf(g.periodCode()))
                && description.contains(g.start().toString()) && description.contains(g.end().toString()), description);
        // a listed student without an account (no e-mail in the data) is skipped and reported
        world.assertReported("Cohort member skipped:");

        world.assertReRunWritesNothing("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");
        world.assertGroupsMatch(world.expected(), Set.of());
    }

    @Test
    void aStudentWhoMovesGroupLeavesOneCohortAndJoinsTheOther() {
        load();
        int s = memberWithAccount(DemoEnvironment.FIRST, FIRST_GROUP);
        world.data(DemoEnvironment.FIRST).moveStudentToGroup(s, SECOND_GROUP);
        world.ok("cache", "users", "tutors");
        assertEquals(0, world.writes(), "a group move is no user change: " + world.writesByFunction());
        groups(StageRun.Outcome.OK);
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"));
        assertEquals(1, world.moodle().calls("core_cohort_delete_cohort_members"));
        assertEquals(2, world.writes(), world.writesByFunction());
        assertFalse(world.memberIdnumbers("GRP_846000").contains(String.valueOf(s)));
        assertTrue(world.memberIdnumbers("GRP_846001").contains(String.valueOf(s)));
        world.assertGroupsMatch(world.expected(), Set.of());
    }

    @Test
    void aRenamedGroupRenamesItsCohortOnly() {
        load();
        world.data(DemoEnvironment.SECOND).renameGroup(SECOND_GROUP, "BTS NDRC 1 – groupe B");
        world.ok("cache");
        groups(StageRun.Outcome.OK);
        assertEquals(1, world.moodle().calls("core_cohort_update_cohorts"));
        assertEquals(1, world.writes(), world.writesByFunction());
        assertEquals("BTS NDRC 1 – groupe B", world.cohort("1_GRP_846001").name());
        assertEquals(world.data(DemoEnvironment.FIRST).group(SECOND_GROUP).orElseThrow().name(),
                world.cohort("GRP_846001").name());
        world.assertReported("Group cohort updated: BTS NDRC 1 – groupe B [1_GRP_846001]");
        world.assertGroupsMatch(world.expected(), Set.of());
    }

    @Test
    void anEmptiedSmallGroupEmptiesItsCohort() {
        load();
        Set<String> before = world.memberIdnumbers("FC_846003");
        assertFalse(before.isEmpty());
        assertTrue(before.size() < 10, "below sync.guard.min-cohort-size: not guarded");
        world.data(DemoEnvironment.FIRST).emptyGroup(RUNNING_FC);
        world.ok("cache");
        groups(StageRun.Outcome.OK);
        assertEquals(1, world.moodle().calls("core_cohort_delete_cohort_members"));
        assertEquals(1, world.writes(), world.writesByFunction());
        assertTrue(world.memberIdnumbers("FC_846003").isEmpty());
        world.assertGroupsMatch(world.expected(), Set.of());
    }

    @Test
    void aGroupGoneFromNetYpareoLeavesItsCohortAsItIs() {
        load();
        Set<String> before = world.memberIdnumbers("GRP_846002");
        world.data(DemoEnvironment.FIRST).removeGroup(THIRD_GROUP);
        // its students are still about: one of them joins another class
        world.ok("cache", "users", "tutors");
        groups(StageRun.Outcome.OK);
        assertEquals(0, world.writes(), world.writesByFunction());
        assertEquals(before, world.memberIdnumbers("GRP_846002"), "never emptied");
        world.assertReported("[GRP_846002] (no longer in NetYpareo, left as it is)");
        world.assertGroupsMatch(world.expected(), Set.of("GRP_846002"));

        world.assertReRunWritesNothing("cache", "groups", "fc-groups");
        assertEquals(before, world.memberIdnumbers("GRP_846002"));
    }

    @Test
    void anFcGroupPastItsEndAndGraceIsLeftAsItIs() {
        load();
        Set<String> before = world.memberIdnumbers("FC_846003");
        // ended 45 days ago: still in the 90-day window NetYpareo answers, but past the 30 days of grace
        world.data(DemoEnvironment.FIRST).endFcGroup(RUNNING_FC, LocalDate.now().minusDays(45));
        int member = world.data(DemoEnvironment.FIRST).members(RUNNING_FC).get(0);
        world.data(DemoEnvironment.FIRST).removeMember(RUNNING_FC, member);
        // ended 20 days ago: within the grace, still synced
        world.data(DemoEnvironment.SECOND).endFcGroup(RUNNING_FC, LocalDate.now().minusDays(20));
        int other = memberWithAccount(DemoEnvironment.SECOND, RUNNING_FC);
        world.data(DemoEnvironment.SECOND).removeMember(RUNNING_FC, other);
        world.ok("cache");
        groups(StageRun.Outcome.OK);
        assertEquals(before, world.memberIdnumbers("FC_846003"), "left as it is");
        assertFalse(world.memberIdnumbers("1_FC_846003").contains("1_" + other), "still synced within the grace");
        assertEquals(1, world.moodle().calls("core_cohort_delete_cohort_members"));
        // the description carries the dates: the group within the grace gets its new end date
        assertEquals(1, world.moodle().calls("core_cohort_update_cohorts"));
        assertEquals(2, world.writes(), world.writesByFunction());
        world.assertReported("[FC_846003] (no longer in NetYpareo, left as it is)");
        world.assertGroupsMatch(world.expected(), Set.of("FC_846003"));
    }

    @Test
    void aMemberUnknownToMoodleIsSkippedAndAddedOnceItExists() {
        load();
        // a new learner in a group, but with no e-mail yet: no Moodle account
        EmulatedData d = world.data(DemoEnvironment.FIRST);
        int code = d.nextStudentCode();
        d.putStudent(new org.ypsync.netypareo.StudentAccount(code, "apprenant" + code, "Nouveau", "Léa", null, 10, 1,
                true, null));
        d.addMember(FIRST_GROUP, code);
        world.ok("cache", "users", "tutors");
        world.moodle().resetCounters();
        groups(StageRun.Outcome.OK);
        assertEquals(0, world.writes(), world.writesByFunction());
        world.assertReported("Cohort member skipped: [GRP_846000] student [" + code + "]: not a Moodle user yet");

        // the e-mail arrives: the account, then the membership
        d.setStudentEmail(code, "lea.nouveau@eleves.example.org");
        world.ok("cache", "users", "tutors");
        world.moodle().resetCounters();
        groups(StageRun.Outcome.OK);
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"));
        assertEquals(1, world.writes(), world.writesByFunction());
        assertTrue(world.memberIdnumbers("GRP_846000").contains(String.valueOf(code)));
        world.assertGroupsMatch(world.expected(), Set.of());
    }

    @Test
    void theRemovalGuardHoldsBackAMassRemovalUntilForced() throws Exception {
        // 60 learners: about 20 per diploma group, so the cohort is guarded (sync.guard.min-cohort-size = 10)
        world.reset(new DataSetSize(2, 60, 4, 6, 3, 3));
        load();
        Set<String> before = world.memberIdnumbers("GRP_846000");
        assertTrue(before.size() >= 10, before.toString());
        EmulatedData d = world.data(DemoEnvironment.FIRST);
        List<Integer> leaving = d.members(FIRST_GROUP).stream().limit(d.members(FIRST_GROUP).size() - 3).toList();
        leaving.forEach(c -> d.removeMember(FIRST_GROUP, c));
        int newcomer = memberWithAccount(DemoEnvironment.FIRST, SECOND_GROUP);
        d.addMember(FIRST_GROUP, newcomer);
        world.ok("cache");
        world.moodle().resetCounters();
        StageRun refused = world.one("groups", false, false);
        assertEquals(StageRun.Outcome.FAILED, refused.outcome());
        assertTrue(refused.summary().contains("GRP_846000") && refused.summary().contains("--force"), refused.summary());
        assertEquals(0, world.writes(), "no member removed (nor added): " + world.writesByFunction());
        assertEquals(before, world.memberIdnumbers("GRP_846000"));

        StageRun dry = world.one("groups", true, false);
        assertTrue(String.join("\n", dry.planLines()).contains("[HELD BACK by guard]"), dry.planLines().toString());
        assertEquals(0, world.writes());

        StageRun forced = world.one("groups", false, true);
        assertEquals(StageRun.Outcome.OK, forced.outcome(), forced.summary());
        assertEquals(1, world.moodle().calls("core_cohort_delete_cohort_members"));
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"));
        assertEquals(2, world.writes(), world.writesByFunction());
        Set<String> left = new TreeSet<>();
        leaving.forEach(c -> left.add(String.valueOf(c)));
        assertTrue(world.memberIdnumbers("GRP_846000").stream().noneMatch(left::contains));
        assertTrue(world.memberIdnumbers("GRP_846000").contains(String.valueOf(newcomer)));
        world.assertGroupsMatch(world.expected(), Set.of());
    }

    @Test
    void aStudentGoneFromNetYpareoLeavesItsGroupCohorts() {
        load();
        int s = memberWithAccount(DemoEnvironment.SECOND, FIRST_GROUP);
        long moodleId = world.userByIdnumber("1_" + s).id();
        world.data(DemoEnvironment.SECOND).removeStudent(s);
        world.ok("cache", "users", "tutors");
        assertTrue(world.moodle().user(moodleId).orElseThrow().suspended());
        world.moodle().resetCounters();
        groups(StageRun.Outcome.OK);
        assertEquals(1, world.moodle().calls("core_cohort_delete_cohort_members"));
        assertEquals(1, world.writes(), world.writesByFunction());
        assertFalse(world.memberIdnumbers("1_GRP_846000").contains("1_" + s), "a suspended account still leaves");
        world.assertGroupsMatch(world.expected(), Set.of());
    }

    @Test
    void aLeaverStillListedInItsGroupLeavesTheGroupCohortAndComesBackWhenRevived() {
        load();
        int s = memberWithAccount(DemoEnvironment.FIRST, FIRST_GROUP);
        world.data(DemoEnvironment.FIRST).deactivateStudent(s);
        world.ok("cache", "users", "tutors");
        world.moodle().resetCounters();
        groups(StageRun.Outcome.OK);
        assertEquals(1, world.writes(), world.writesByFunction());
        assertFalse(world.memberIdnumbers("GRP_846000").contains(String.valueOf(s)), "the leaver left the cohort");
        world.assertGroupsMatch(world.expected(), Set.of());

        world.data(DemoEnvironment.FIRST).setStudentActive(s, true);
        world.ok("cache", "users", "tutors");
        world.moodle().resetCounters();
        groups(StageRun.Outcome.OK);
        assertEquals(1, world.writes(), world.writesByFunction());
        assertTrue(world.memberIdnumbers("GRP_846000").contains(String.valueOf(s)), "back in the cohort");
    }

    @Test
    void aMemberRemovedByHandIsAddedBack() {
        load();
        int s = memberWithAccount(DemoEnvironment.FIRST, FIRST_GROUP);
        long user = world.userByIdnumber(String.valueOf(s)).id();
        world.moodle().removeMember(world.cohort("GRP_846000").id(), user);
        world.ok("cache", "site-cohorts", "users", "tutors");
        groups(StageRun.Outcome.OK);
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"));
        assertEquals(1, world.writes(), world.writesByFunction());
        assertTrue(world.memberIdnumbers("GRP_846000").contains(String.valueOf(s)));
        world.assertGroupsMatch(world.expected(), Set.of());

        world.assertReRunWritesNothing("groups", "fc-groups");
    }

    @Test
    void aCohortDeletedByHandIsRecreatedWithItsMembers() {
        load();
        Set<String> before = world.memberIdnumbers("GRP_846001");
        assertFalse(before.isEmpty());
        world.moodle().deleteCohort(world.cohort("GRP_846001").id());
        world.moodle().deleteCohort(world.cohort("SITE_S1").id());
        world.ok("cache", "site-cohorts", "users", "tutors");
        groups(StageRun.Outcome.OK);
        assertEquals(before, world.memberIdnumbers("GRP_846001"));
        world.assertGroupsMatch(world.expected(), Set.of());
        world.assertUsersMatch(world.expected(), Set.of());
        // one create per stage (site-cohorts, groups), one add batch per stage (users, tutors, groups)
        assertEquals(2, world.moodle().calls("core_cohort_create_cohorts"), world.writesByFunction());
        assertEquals(3, world.moodle().calls("core_cohort_add_cohort_members"), world.writesByFunction());
        assertEquals(5, world.writes(), world.writesByFunction());
    }

    @Test
    void aDryRunShowsTheMovesAndWritesNothing() {
        load();
        int s = memberWithAccount(DemoEnvironment.FIRST, FIRST_GROUP);
        world.data(DemoEnvironment.FIRST).moveStudentToGroup(s, SECOND_GROUP);
        world.data(DemoEnvironment.FIRST).renameGroup(THIRD_GROUP, "Renommé");
        world.ok("cache");
        world.moodle().resetCounters();
        StageRun dry = world.one("groups", true, false);
        assertEquals(0, world.writes(), world.writesByFunction());
        String plan = String.join("\n", dry.planLines());
        assertTrue(plan.contains("update group cohort Renommé [GRP_846002]"), plan);
        assertTrue(plan.contains("add student " + s) && plan.contains("to [GRP_846001]"), plan);
        assertTrue(plan.contains("remove student " + s) && plan.contains("from [GRP_846000]"), plan);
        assertFalse(plan.contains("HELD BACK"), plan);
        assertTrue(world.memberIdnumbers("GRP_846000").contains(String.valueOf(s)));

        world.ok("groups");
        assertEquals(3, world.writes(), "update, add, remove: " + world.writesByFunction());
        world.assertGroupsMatch(world.expected(), Set.of());
    }

    @Test
    void anExistingCohortIsAdoptedWithItsMembersKept() {
        world.peopleSynced();
        long handMade = world.moodle().createCohort("GRP_846000", "Ancien nom");
        long stranger = world.moodle().createUser("visiteur", "Vi", "Siteur", "visiteur@example.org", "", "manual");
        world.foreign.add("");
        int s = memberWithAccount(DemoEnvironment.FIRST, FIRST_GROUP);
        long already = world.userByIdnumber(String.valueOf(s)).id();
        world.moodle().addMember(handMade, stranger);
        world.moodle().addMember(handMade, already);
        world.moodle().resetCounters();
        groups(StageRun.Outcome.OK);
        assertEquals(handMade, world.cohort("GRP_846000").id(), "adopted, not duplicated");
        assertEquals(world.data(DemoEnvironment.FIRST).group(FIRST_GROUP).orElseThrow().name(),
                world.cohort("GRP_846000").name());
        assertTrue(world.moodle().members(handMade).contains(stranger),
                "a member added by hand is not ypsync's to remove");
        assertTrue(world.moodle().members(handMade).contains(already));
        world.assertGroupsMatch(world.expected(), Set.of());

        world.assertReRunWritesNothing("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");
        assertTrue(world.moodle().members(handMade).contains(stranger));
    }

    /**
     * The steps of the group stages answer to their ids: a mock woven in place of groups-member-add takes the
     * member adds of groups (none reaches Moodle), while fc-groups, the other instance of the same template, keeps
     * its own step fc-groups-member-add and adds its members.
     */
    @Test
    void theGroupStageStepsAreReachableByTheirIds() throws Exception {
        world.peopleSynced();
        CamelContext context = world.context();
        AdviceWith.adviceWith(context, "groups",
                a -> a.weaveById("groups-member-add").replace().to("mock:groups-member-add"));
        MockEndpoint adds = context.getEndpoint("mock:groups-member-add", MockEndpoint.class);
        StageRun groups = world.one("groups", false, false);
        assertEquals(StageRun.Outcome.OK, groups.outcome(), groups.summary());
        assertTrue(adds.getReceivedCounter() > 0, "the groups' members went to the mock");
        assertEquals(1, world.moodle().calls("core_cohort_create_cohorts"));
        assertEquals(0, world.moodle().calls("core_cohort_add_cohort_members"));

        StageRun fc = world.one("fc-groups", false, false);
        assertEquals(StageRun.Outcome.OK, fc.outcome(), fc.summary());
        assertEquals(1, world.moodle().calls("core_cohort_add_cohort_members"));
    }
}
