package org.ypsync.stage;

import java.util.Map;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.ypsync.Launcher;

/**
 * {@link UserIdnumberMatchScenarioTest} on a stock Moodle, which has no user profile field: everything else is synced the same, and
 * an unchanged re-run writes nothing there too.
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false"})
class UserIdnumberMatchStockMoodleScenarioTest extends UserIdnumberMatchScenarioTest {
    // hides the base class's: JUnit runs this one instead
    @BeforeAll
    static void start() {
        world = ScenarioWorld.start("users-idnumber-stock", Map.of("sync.user-match", "idnumber"), false);
    }
}
