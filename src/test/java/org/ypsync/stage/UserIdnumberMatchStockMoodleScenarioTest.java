package org.ypsync.stage;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.ypsync.Launcher;

/**
 * {@link UserIdnumberMatchScenarioTest} on a stock Moodle, which has no user profile field: everything else is synced the same, and
 * an unchanged re-run writes nothing there too.
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false", "sync.user-match=idnumber"})
@ScenarioExtension.Scenario(profileField = false)
class UserIdnumberMatchStockMoodleScenarioTest extends UserIdnumberMatchScenarioTest {
    UserIdnumberMatchStockMoodleScenarioTest(ScenarioWorld world) {
        super(world);
    }
}
