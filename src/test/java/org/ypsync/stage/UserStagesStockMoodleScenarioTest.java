package org.ypsync.stage;

import java.util.Map;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.ypsync.Launcher;

/**
 * {@link UserStagesScenarioTest} on a stock Moodle, which has no user profile field: everything else is synced the same, and
 * an unchanged re-run writes nothing there too.
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false"})
class UserStagesStockMoodleScenarioTest extends UserStagesScenarioTest {
    // hides the base class's: JUnit runs this one instead
    @BeforeAll
    static void start() {
        world = ScenarioWorld.start("users-stock", Map.of(), false);
    }
}
