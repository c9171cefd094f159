package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ypsync.stage.ScenarioWorld.ok;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.BeanInject;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ypsync.Launcher;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.moodle.emulator.MoodleCohort;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.EmulatedData;
import org.ypsync.ops.StageRunner;
import org.ypsync.store.Store;

/**
 * The whole pipeline with settings an operator may change: cohorts in a course category
 * (sync.cohorts.context=category:...) and a student status filter (sync.students.statuses).
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false"})
class OtherSettingsScenarioTest {
    private static ScenarioWorld world;
    private static long category;

    @BeanInject("stageRunner")
    StageRunner runner;

    @BeanInject("ypsyncStore")
    Store store;

    @BeforeAll
    static void start() {
        world = ScenarioWorld.start("settings", Map.of("sync.cohorts.context", "category:NETYPAREO",
                "sync.students.statuses", "1"));
        category = world.moodle().createCategory("NetYpareo", "NETYPAREO");
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        world.reset(store, DataSetSize.DEMO);
    }

    private static EmulatedData data(String id) {
        return world.env.netypareo().data(id);
    }

    @Test
    void cohortsInTheCategoryAndOnlyTheStatusesAskedFor() {
        ok(runner, "cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");
        for (MoodleCohort c : world.moodle().cohorts()) {
            assertEquals(category, c.categoryId(), c.idnumber() + " in the category");
        }
        ExpectedMoodle e = world.expected();
        world.assertUsersMatch(e, Set.of());
        world.assertGroupsMatch(e, Set.of());
        // status 2 learners have no account
        List<StudentAccount> other = data(DemoEnvironment.FIRST).students().stream()
                .filter(s -> s.statusCode() == 2).toList();
        assertFalse(other.isEmpty());
        other.forEach(s -> assertTrue(world.moodle().usersByIdnumber(String.valueOf(s.code())).isEmpty(), s.toString()));
        world.moodle().resetCounters();
        ok(runner, "cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");
        assertEquals(0, world.writes(), world.writesByFunction());
    }

    @Test
    void aStudentWhoseStatusLeavesTheFilterIsSuspended() {
        ok(runner, "cache", "site-cohorts", "users", "tutors");
        StudentAccount s = data(DemoEnvironment.FIRST).students().stream()
                .filter(x -> x.statusCode() == 1 && world.moodle().usersByIdnumber(String.valueOf(x.code())).size() == 1)
                .findFirst().orElseThrow();
        data(DemoEnvironment.FIRST).updateStudent(s.code(), x -> new StudentAccount(x.code(), x.login(), x.lastName(),
                x.firstName(), x.email(), x.siteCode(), 2, x.active(), x.leavingDate()));
        world.moodle().resetCounters();
        ok(runner, "cache", "users", "tutors");
        assertTrue(world.userByIdnumber(String.valueOf(s.code())).suspended());
        assertEquals(2, world.writes(), "suspension and site cohort removal: " + world.writesByFunction());
        world.assertUsersMatch(world.expected(), Set.of());
    }
}
