package org.ypsync.stage;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.ypsync.Launcher;

/**
 * {@link PipelineConvergenceTest} on a stock Moodle, which has no user profile field: everything else is synced the same, and
 * an unchanged re-run writes nothing there too.
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false"})
@ScenarioExtension.Scenario(profileField = false)
class PipelineConvergenceStockMoodleTest extends PipelineConvergenceTest {
    PipelineConvergenceStockMoodleTest(ScenarioWorld world) {
        super(world);
    }
}
