package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.ypsync.Launcher;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.stage.EmulatedCourses.Course;
import org.ypsync.netypareo.Group;
import org.ypsync.netypareo.emulator.EmulatedData;
import org.ypsync.ops.StageRun;

/**
 * The courses stage's guards: a run that would suspend too many of a course's enrolments stops before writing any
 * (--force accepts it), and with sync.courses.hide-gone the course of a group gone from NetYpareo is hidden, not
 * deleted. Courses of two or more active enrolments are guarded here (the demo's groups are small).
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false", "sync.courses.enabled=true",
        "sync.guard.min-cohort-size=2", "sync.courses.hide-gone=true"})
class CourseGuardScenarioTest implements ScenarioExtension.InScenario {
    private final ScenarioWorld world;

    CourseGuardScenarioTest(ScenarioWorld world) {
        this.world = world;
    }

    private EmulatedData first() {
        return world.data(DemoEnvironment.FIRST);
    }

    private List<Group> groups() {
        int period = first().currentPeriod().orElseThrow().code();
        return first().diplomaGroups().stream().filter(g -> g.periodCode() != null && g.periodCode() == period)
                .toList();
    }

    private Course course(String idnumber) {
        return world.courses.courses().stream().filter(c -> c.idnumber().equals(idnumber)).findFirst().orElseThrow();
    }

    @Test
    void suspendingMostOfACourseStopsTheStageBeforeItWritesUnlessForced() {
        world.peopleSynced();
        world.ok("courses");
        int from = groups().get(0).code();
        int to = groups().get(1).code();
        Course c = course("CRS_" + from);
        long active = world.moodle().enrolments(c.id()).stream().filter(e -> !e.suspended()).count();
        for (int student : List.copyOf(first().members(from))) {
            first().moveStudentToGroup(student, to);
        }
        world.ok("cache");
        world.moodle().resetCounters();
        StageRun held = world.one("courses", false, false);
        assertEquals(StageRun.Outcome.FAILED, held.outcome(), held.summary());
        assertTrue(held.message().contains("Suspension guard: course [CRS_" + from + "]"), held.message());
        assertEquals(0, world.moodle().calls("enrol_manual_enrol_users"), "no enrolment written, not even the adds");
        assertEquals(active, world.moodle().enrolments(c.id()).stream().filter(e -> !e.suspended()).count());

        StageRun forced = world.one("courses", false, true);
        assertEquals(StageRun.Outcome.OK, forced.outcome(), forced.summary());
        assertTrue(world.moodle().enrolments(c.id()).stream().filter(e -> e.roleIds().contains(5L))
                .allMatch(e -> e.suspended()), "every student suspended, none unenrolled");
        assertFalse(world.moodle().enrolments(c.id()).isEmpty());
    }

    @Test
    void theCourseOfAGroupGoneFromNetYpareoIsHiddenNotDeleted() {
        world.peopleSynced();
        world.ok("courses");
        Group gone = groups().get(2);
        Course before = course("CRS_" + gone.code());
        first().removeGroup(gone.code());
        world.ok("cache");
        world.clearReport();
        world.ok("courses");
        Course after = course("CRS_" + gone.code());
        assertEquals(before.id(), after.id());
        assertFalse(after.visible(), "hidden (sync.courses.hide-gone)");
        assertEquals(world.moodle().enrolments(before.id()).size(), world.moodle().enrolments(after.id()).size());
        world.assertReported("Course hidden: " + gone.name() + " [CRS_" + gone.code() + "]");
        world.assertReRunWritesNothing("cache", "courses");
    }
}
