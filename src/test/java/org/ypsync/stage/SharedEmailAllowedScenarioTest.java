package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.ypsync.moodle.emulator.MoodleUser;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.ops.StageRunner;
import org.ypsync.store.Store;

/** A Moodle that allows accounts to share an e-mail (allowaccountssameemail) and moodle.allow-shared-email=true. */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false"})
class SharedEmailAllowedScenarioTest {
    private static ScenarioWorld world;

    @BeanInject("stageRunner")
    StageRunner runner;

    @BeanInject("ypsyncStore")
    Store store;

    @BeforeAll
    static void start() {
        world = ScenarioWorld.start("shared-email", Map.of("moodle.allow-shared-email", "true"));
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        world.reset(store, DataSetSize.DEMO);
    }

    private long holders(String email) {
        return world.users().stream().map(MoodleUser::email).filter(email::equals).count();
    }

    @Test
    void peopleSharingAnEmailAllGetAnAccountInTheEnd() {
        StudentAccount a = world.env.netypareo().data(DemoEnvironment.FIRST).students().get(8);
        assertEquals(a.email(), world.env.netypareo().data(DemoEnvironment.FIRST).students().get(9).email());
        // today one more of them per run (see the disabled test below)
        for (int run = 0; run < 4; run++) {
            ok(runner, "cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");
        }
        long sharers = world.expected().sureActive().stream().filter(p -> a.email().equals(p.email())).count();
        assertEquals(true, sharers >= 2, "sharers: " + sharers);
        assertEquals(sharers, holders(a.email()));
        world.assertUsersMatch(world.expected(), Set.of());
        world.assertGroupsMatch(world.expected(), Set.of());
        world.moodle().resetCounters();
        ok(runner, "cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");
        assertEquals(0, world.writes(), world.writesByFunction());
    }

    @Test
    void peopleSharingAnEmailAllGetAnAccountOnTheFirstRun() {
        ok(runner, "cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");
        world.assertUsersMatch(world.expected(), Set.of());
        world.assertGroupsMatch(world.expected(), Set.of());
        List<StudentAccount> students = world.env.netypareo().data(DemoEnvironment.FIRST).students();
        String email = students.get(8).email();
        assertEquals(world.expected().sureActive().stream().filter(p -> email.equals(p.email())).count(), holders(email));
    }
}
