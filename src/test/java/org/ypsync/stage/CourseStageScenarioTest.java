package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.ypsync.Launcher;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.stage.EmulatedCourses.Course;
import org.ypsync.moodle.emulator.MoodleEnrolment;
import org.ypsync.moodle.emulator.MoodleUser;
import org.ypsync.netypareo.Group;
import org.ypsync.netypareo.emulator.EmulatedData;
import org.ypsync.ops.StageRun;
import org.ypsync.store.DeadLetterRepository.DeadLetter;

/**
 * Issue 12 end to end: the courses stage through the real routes against the emulators, two instances: a course per
 * diploma group of the period in its site's category, the group's students (role 5) and the trainers of its
 * timetable (role 3) enrolled; who leaves is suspended, never unenrolled.
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false", "sync.courses.enabled=true"})
class CourseStageScenarioTest implements ScenarioExtension.InScenario {
    private static final long STUDENT = 5;
    private static final long TEACHER = 3;

    private final ScenarioWorld world;

    CourseStageScenarioTest(ScenarioWorld world) {
        this.world = world;
    }

    /** People in Moodle, then the courses stage run once; Moodle's counters and the report cleared after. */
    private void load() {
        world.peopleSynced();
        courses(StageRun.Outcome.OK);
        world.moodle().resetCounters();
        world.clearReport();
    }

    private StageRun courses(StageRun.Outcome expected) {
        StageRun run = world.one("courses", false, false);
        assertEquals(expected, run.outcome(), run.summary() + " " + run.problems());
        return run;
    }

    private EmulatedData first() {
        return world.data(DemoEnvironment.FIRST);
    }

    /** The diploma groups of the current period of an instance. */
    private static List<Group> groups(EmulatedData data) {
        int period = data.currentPeriod().orElseThrow().code();
        return data.diplomaGroups().stream().filter(g -> g.periodCode() != null && g.periodCode() == period).toList();
    }

    private Map<String, Course> coursesByIdnumber() {
        Map<String, Course> out = new TreeMap<>();
        for (Course c : world.courses.courses()) {
            assertEquals(null, out.put(c.idnumber(), c), "two courses with idnumber " + c.idnumber());
        }
        return out;
    }

    private Course course(String idnumber) {
        Course c = coursesByIdnumber().get(idnumber);
        assertNotNull(c, "no course " + idnumber + " in " + coursesByIdnumber().keySet());
        return c;
    }

    /** A working account of the person with that idnumber, if any. */
    private Optional<MoodleUser> account(String idnumber) {
        return world.moodle().usersByIdnumber(idnumber).stream().filter(u -> !u.suspended()).findFirst();
    }

    private Optional<MoodleEnrolment> enrolment(String course, long userId) {
        return world.moodle().enrolments(course(course).id()).stream().filter(e -> e.userId() == userId).findFirst();
    }

    private static String prefix(EmulatedData data) {
        return data.instanceIndex() == 0 ? "" : data.instanceIndex() + "_";
    }

    /** A student of the group with a working account, and the account. */
    private Map.Entry<Integer, MoodleUser> studentWithAccount(EmulatedData data, int group) {
        for (int code : data.members(group)) {
            Optional<MoodleUser> u = account(prefix(data) + code);
            if (u.isPresent()) {
                return Map.entry(code, u.get());
            }
        }
        throw new AssertionError("no student with an account in group " + group);
    }

    @Test
    void firstLoadMakesACoursePerGroupWithItsStudentsAndTrainersAndTheReRunWritesNothing() {
        world.peopleSynced();
        StageRun run = courses(StageRun.Outcome.OK);
        List<String> problems = new ArrayList<>();
        int enrolments = 0;
        for (EmulatedData data : List.of(first(), world.data(DemoEnvironment.SECOND))) {
            String p = prefix(data);
            for (Group g : groups(data)) {
                Course c = course(p + "CRS_" + g.code());
                String site = data.sites().stream().filter(s -> s.code() == g.siteCode()).findFirst().orElseThrow()
                        .shortCode();
                if (!c.fullname().equals(g.name()) || !c.shortname().equals(p + g.shortName() + "-" + g.code())
                        || !(p + "CAT_SITE_" + site).equals(c.categoryIdnumber()) || c.startdate() == 0
                        || c.enddate() <= c.startdate()) {
                    problems.add("course " + c);
                }
                for (int code : data.members(g.code())) {
                    Optional<MoodleUser> u = account(p + code);
                    if (u.isPresent()) {
                        enrolments++;
                        Optional<MoodleEnrolment> e = enrolment(c.idnumber(), u.get().id());
                        if (e.isEmpty() || e.get().suspended() || !e.get().roleIds().equals(Set.of(STUDENT))
                                || e.get().timestart() != 0 || e.get().timeend() != 0) {
                            problems.add("student " + code + " in " + c.idnumber() + ": " + e);
                        }
                    }
                }
                for (int code : data.trainers(g.code())) {
                    Optional<MoodleUser> u = account(p + code);
                    if (u.isPresent()) {
                        enrolments++;
                        Optional<MoodleEnrolment> e = enrolment(c.idnumber(), u.get().id());
                        if (e.isEmpty() || e.get().suspended() || !e.get().roleIds().equals(Set.of(TEACHER))) {
                            problems.add("trainer " + code + " in " + c.idnumber() + ": " + e);
                        }
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(enrolments > 10, "enrolments checked: " + enrolments);
        Group g = groups(first()).get(0);
        world.assertReported("Course created: " + g.name() + " [CRS_" + g.code() + "]");
        world.assertReported("Course category ");
        MoodleUser student = studentWithAccount(first(), g.code()).getValue();
        world.assertReported("Enrolment student added: [" + student.username() + "] [CRS_" + g.code() + "]");
        world.assertReported("Enrolment teacher added: [");
        assertTrue(run.counts().created() > 0, run.summary());

        world.assertReRunWritesNothing("courses");
        world.ok("groups", "fc-groups");
        world.assertReRunWritesNothing("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups", "courses");
    }

    @Test
    void aStudentWhoMovesIsSuspendedInTheOldCourseEnrolledInTheNewAndRevivedWhenBack() {
        load();
        List<Group> groups = groups(first());
        int from = groups.get(0).code();
        int to = groups.get(1).code();
        Map.Entry<Integer, MoodleUser> student = studentWithAccount(first(), from);
        long user = student.getValue().id();
        first().moveStudentToGroup(student.getKey(), to);
        world.ok("cache");
        world.moodle().resetCounters();
        courses(StageRun.Outcome.OK);
        MoodleEnrolment old = enrolment("CRS_" + from, user).orElseThrow(() -> new AssertionError("unenrolled"));
        assertTrue(old.suspended(), "suspended in the old course: " + old);
        assertEquals(Set.of(STUDENT), old.roleIds(), "the enrolment and its role are kept");
        assertFalse(enrolment("CRS_" + to, user).orElseThrow().suspended());
        assertEquals(0, world.moodle().calls("enrol_manual_unenrol_users"));
        world.assertReported("Enrolment student suspended: [" + student.getValue().username() + "] [CRS_" + from + "]");
        world.assertReported("Enrolment student added: [" + student.getValue().username() + "] [CRS_" + to + "]");
        world.assertReRunWritesNothing("cache", "courses");

        first().moveStudentToGroup(student.getKey(), from);
        world.ok("cache", "courses");
        assertFalse(enrolment("CRS_" + from, user).orElseThrow().suspended(), "active again when back");
        assertTrue(enrolment("CRS_" + to, user).orElseThrow().suspended());
        world.assertReported("Enrolment student revived: [" + student.getValue().username() + "] [CRS_" + from + "]");
    }

    @Test
    void aTrainerWhoJoinsTheTimetableIsEnrolledAsTeacherAndSuspendedWhenNoLongerTeachingIt() {
        load();
        int group = groups(first()).get(0).code();
        int trainer = first().staff().stream().filter(s -> s.trainer() && !first().trainers(group).contains(s.code())
                && account(String.valueOf(s.code())).isPresent()).findFirst().orElseThrow().code();
        long user = account(String.valueOf(trainer)).orElseThrow().id();
        first().addTrainer(group, trainer);
        world.ok("cache", "courses");
        MoodleEnrolment e = enrolment("CRS_" + group, user).orElseThrow();
        assertEquals(Set.of(TEACHER), e.roleIds());
        assertFalse(e.suspended());
        world.assertReported("Enrolment teacher added: [");

        first().removeTrainer(group, trainer);
        world.ok("cache", "courses");
        assertTrue(enrolment("CRS_" + group, user).orElseThrow().suspended(), "suspended, not unenrolled");
        world.assertReported("Enrolment teacher suspended: [");
        world.assertReRunWritesNothing("cache", "courses");
    }

    @Test
    void aHandMadeCourseWithTheIdnumberIsAdoptedNotDuplicated() {
        world.peopleSynced();
        Group g = groups(first()).get(0);
        long category = world.moodle().createCategory("Hand made", "HAND");
        long handmade = world.moodle().createCourse("HAND-1", "Made by hand", category, "CRS_" + g.code());
        courses(StageRun.Outcome.OK);
        Course c = course("CRS_" + g.code());
        assertEquals(handmade, c.id(), "the hand-made course is ypsync's now");
        assertEquals(g.name(), c.fullname());
        assertEquals("CAT_SITE_" + first().sites().stream().filter(s -> s.code() == g.siteCode()).findFirst()
                .orElseThrow().shortCode(), c.categoryIdnumber());
        world.assertReported("Course adopted: " + g.name() + " [CRS_" + g.code() + "]");
        assertFalse(world.moodle().enrolments(handmade).isEmpty());
        world.assertReRunWritesNothing("courses");
    }

    @Test
    void aTakenShortNameIsADeadLetterTheRefusedBatchIsBisectedAndTheRestGoesOn() {
        world.peopleSynced();
        List<Group> groups = groups(first());
        Group g = groups.get(1);
        long category = world.moodle().createCategory("Hand made", "HAND");
        long other = world.moodle().createCourse(g.shortName() + "-" + g.code(), "Someone else's", category, "OTHER");
        StageRun run = courses(StageRun.Outcome.RECORDS_FAILED);
        DeadLetter dl = world.store().deadLetters().list("courses").stream()
                .filter(d -> d.recordKey().equals("CRS_" + g.code())).findFirst().orElseThrow();
        assertEquals("shortnametaken", dl.errorCode(), dl.toString());
        assertFalse(coursesByIdnumber().containsKey("CRS_" + g.code()));
        assertEquals("Someone else's", world.courses.courses().stream().filter(c -> c.id() == other).findFirst()
                .orElseThrow().fullname(), "the other course is left alone");
        int wanted = groups.size() + groups(world.data(DemoEnvironment.SECOND)).size();
        assertEquals(wanted - 1, coursesByIdnumber().size() - 1, "every other course made: " + coursesByIdnumber());
        // one all-or-nothing call refused, then halves down to the one course: about 2 log2(n) calls, not n
        long calls = world.moodle().calls("core_course_create_courses");
        assertTrue(calls > 1 && calls <= 2 * (32 - Integer.numberOfLeadingZeros(wanted)) + 1, calls + " calls");
        assertTrue(run.summary().contains("1 failed") || run.counts().failed() == 1, run.summary());
    }

    @Test
    void driftRepairReactivatesAHandSuspendedStudentLeavesAHandEnrolmentAloneAndRecreatesADeletedCourse() {
        load();
        List<Group> groups = groups(first());
        int group = groups.get(0).code();
        Course c = course("CRS_" + group);
        MoodleUser student = studentWithAccount(first(), group).getValue();
        world.moodle().suspendEnrolment(c.id(), student.id(), true);
        long foreign = world.moodle().createUser("visitor", "Vi", "Sitor", "visitor@example.org", "", "manual");
        world.moodle().enrolUser(c.id(), foreign, STUDENT);
        Course deleted = course("CRS_" + groups.get(1).code());
        world.moodle().deleteCourse(deleted.id());

        courses(StageRun.Outcome.OK);
        assertFalse(enrolment(c.idnumber(), student.id()).orElseThrow().suspended(), "re-activated");
        MoodleEnrolment visitor = enrolment(c.idnumber(), foreign).orElseThrow();
        assertFalse(visitor.suspended(), "not ypsync's enrolment: left alone");
        Course again = course(deleted.idnumber());
        assertTrue(again.id() != deleted.id());
        assertFalse(world.moodle().enrolments(again.id()).isEmpty(), "its people enrolled again");
        world.assertReported("Course missing in Moodle, will be recreated: [" + deleted.idnumber() + "]");
        world.assertReRunWritesNothing("courses");
    }

    @Test
    void aDryRunPlansAndWritesNothing() {
        world.peopleSynced();
        StageRun run = world.one("courses", true, false);
        assertEquals(0, world.writes(), world.writesByFunction());
        assertTrue(run.planLines().stream().anyMatch(l -> l.contains("create course")), run.planLines().toString());
        assertTrue(world.courses.courses().isEmpty());
    }
}
