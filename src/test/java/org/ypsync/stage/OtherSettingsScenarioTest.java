package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ypsync.Launcher;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.moodle.emulator.MoodleCohort;
import org.ypsync.netypareo.StudentAccount;

/**
 * The whole pipeline with settings an operator may change: cohorts in a course category
 * (sync.cohorts.context=category:...) and a student status filter (sync.students.statuses).
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false",
        "sync.cohorts.context=category:NETYPAREO", "sync.students.statuses=1"})
class OtherSettingsScenarioTest implements ScenarioExtension.InScenario {
    private final ScenarioWorld world;

    OtherSettingsScenarioTest(ScenarioWorld world) {
        this.world = world;
    }

    private static long category;

    /** The category of sync.cohorts.context, made once: a reset between tests keeps it. */
    @BeforeAll
    static void category(ScenarioWorld world) {
        category = world.moodle().createCategory("NetYpareo", "NETYPAREO");
    }

    @Test
    void cohortsInTheCategoryAndOnlyTheStatusesAskedFor() {
        world.ok("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");
        for (MoodleCohort c : world.moodle().cohorts()) {
            assertEquals(category, c.categoryId(), c.idnumber() + " in the category");
        }
        ExpectedMoodle e = world.expected();
        world.assertUsersMatch(e, Set.of());
        world.assertGroupsMatch(e, Set.of());
        // status 2 learners have no account
        List<StudentAccount> other = world.data(DemoEnvironment.FIRST).students().stream()
                .filter(s -> s.statusCode() == 2).toList();
        assertFalse(other.isEmpty());
        other.forEach(s -> assertTrue(world.moodle().usersByIdnumber(String.valueOf(s.code())).isEmpty(),
                s.toString()));
        world.assertReRunWritesNothing("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");
    }

    @Test
    void aStudentWhoseStatusLeavesTheFilterIsSuspended() {
        world.ok("cache", "site-cohorts", "users", "tutors");
        StudentAccount s = world.data(DemoEnvironment.FIRST).students().stream()
                .filter(x -> x.statusCode() == 1
                        && world.moodle().usersByIdnumber(String.valueOf(x.code())).size() == 1)
                .findFirst().orElseThrow();
        world.data(DemoEnvironment.FIRST).updateStudent(s.code(), x -> new StudentAccount(x.code(), x.login(),
                x.lastName(),
                x.firstName(), x.email(), x.siteCode(), 2, x.active(), x.leavingDate()));
        world.moodle().resetCounters();
        world.ok("cache", "users", "tutors");
        assertTrue(world.userByIdnumber(String.valueOf(s.code())).suspended());
        assertEquals(2, world.writes(), "suspension and site cohort removal: " + world.writesByFunction());
        world.assertUsersMatch(world.expected(), Set.of());
    }
}
