package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.ypsync.Launcher;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.moodle.emulator.MoodleUser;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.ops.StageRun;

/** Issue 4 with sync.user-match=idnumber: the NetYpareo id (instance-prefixed) finds existing accounts. */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false", "sync.user-match=idnumber"})
class UserIdnumberMatchScenarioTest implements ScenarioExtension.InScenario {
    private final ScenarioWorld world;

    UserIdnumberMatchScenarioTest(ScenarioWorld world) {
        this.world = world;
    }

    @Test
    void firstLoadThenAnUnchangedRunWritesNothing() {
        world.prepared("cache", "site-cohorts");
        world.ok("users", "tutors");
        assertEquals(4, world.writes(), world.writesByFunction());
        world.assertUsersMatch(world.expected(), Set.of());

        world.assertReRunWritesNothing("cache", "site-cohorts", "users", "tutors");
    }

    @Test
    void anAccountWithTheIdnumberIsAdoptedAndItsUsernameCorrected() {
        StudentAccount s = world.data(DemoEnvironment.SECOND).students().get(0);
        long handMade = world.moodle().createUser("old.login", "X", "Y", "x@example.org", "1_" + s.code(), "manual");
        world.ok("cache", "site-cohorts", "users", "tutors");
        MoodleUser adopted = world.moodle().user(handMade).orElseThrow();
        assertEquals(s.login(), adopted.username());
        assertEquals(s.email(), adopted.email());
        assertEquals(world.userType("student"), adopted.customfields().get("netypareo_usertype"));
        assertEquals(1, world.moodle().usersByIdnumber("1_" + s.code()).size(), "not duplicated");
        world.assertUsersMatch(world.expected(), Set.of());

        world.assertReRunWritesNothing("cache", "site-cohorts", "users", "tutors");
    }

    @Test
    void theSameLoginInTwoInstancesIsNeverMerged() {
        world.assertTheLoginStaysWithInstanceZero(world.sameLoginInBothInstances());

        world.moodle().resetCounters();
        world.one("users", false, false);
        assertEquals(0, world.writes(), world.writesByFunction());
    }

    @Test
    void anUnrelatedAccountHoldingTheUsernameIsNotTakenOver() {
        // idnumber mode does not look accounts up by username: Moodle itself refuses the duplicate
        StudentAccount s = world.data(DemoEnvironment.FIRST).students().get(0);
        long other = world.moodle().createUser(s.login(), "Someone", "Else", "else@example.org", "X-1", "manual");
        world.prepared("cache", "site-cohorts");
        StageRun users = world.one("users", false, false);
        assertEquals(StageRun.Outcome.RECORDS_FAILED, users.outcome(), users.summary());
        assertEquals(1, world.moodle().calls("core_user_create_users"), "known before: no refused batch to split");
        MoodleUser untouched = world.moodle().user(other).orElseThrow();
        assertEquals("Someone", untouched.firstname());
        assertEquals("X-1", untouched.idnumber());
        assertTrue(world.moodle().usersByIdnumber(String.valueOf(s.code())).isEmpty());
        assertTrue(world.store().deadLetters().list("users").stream()
                .anyMatch(d -> d.recordKey().contains(String.valueOf(s.code()))), "dead-lettered");
        // everybody else was created in spite of the refused record
        world.ok("tutors");
        ExpectedMoodle e = world.expected();
        e.contested.add(String.valueOf(s.code()));
        world.foreign.add("X-1");
        world.assertUsersMatch(e, Set.of());

        world.moodle().resetCounters();
        world.one("users", false, false);
        assertEquals(0, world.writes(), "the refused record is not sent again: " + world.writesByFunction());
    }
}
