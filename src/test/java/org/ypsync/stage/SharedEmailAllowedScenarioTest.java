package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.ypsync.Launcher;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.moodle.emulator.MoodleUser;
import org.ypsync.netypareo.StudentAccount;

/** A Moodle that allows accounts to share an e-mail (allowaccountssameemail) and moodle.allow-shared-email=true. */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false",
        "moodle.allow-shared-email=true"})
class SharedEmailAllowedScenarioTest implements ScenarioExtension.InScenario {
    private final ScenarioWorld world;

    SharedEmailAllowedScenarioTest(ScenarioWorld world) {
        this.world = world;
    }

    private long holders(String email) {
        return world.users().stream().map(MoodleUser::email).filter(email::equals).count();
    }

    @Test
    void peopleSharingAnEmailAllGetAnAccountInTheEnd() {
        StudentAccount a = world.data(DemoEnvironment.FIRST).students().get(8);
        assertEquals(a.email(), world.data(DemoEnvironment.FIRST).students().get(9).email());
        // today one more of them per run (see the disabled test below)
        for (int run = 0; run < 4; run++) {
            world.ok("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");
        }
        long sharers = world.expected().sureActive().stream().filter(p -> a.email().equals(p.email())).count();
        assertEquals(true, sharers >= 2, "sharers: " + sharers);
        assertEquals(sharers, holders(a.email()));
        world.assertUsersMatch(world.expected(), Set.of());
        world.assertGroupsMatch(world.expected(), Set.of());
        world.assertReRunWritesNothing("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");
    }

    @Test
    void peopleSharingAnEmailAllGetAnAccountOnTheFirstRun() {
        world.ok("cache", "site-cohorts", "users", "tutors", "groups", "fc-groups");
        world.assertUsersMatch(world.expected(), Set.of());
        world.assertGroupsMatch(world.expected(), Set.of());
        List<StudentAccount> students = world.data(DemoEnvironment.FIRST).students();
        String email = students.get(8).email();
        assertEquals(world.expected().sureActive().stream().filter(p -> email.equals(p.email())).count(), holders(email));
    }
}
