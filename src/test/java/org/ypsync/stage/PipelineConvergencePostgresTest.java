package org.ypsync.stage;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ypsync.Launcher;

/**
 * The convergence rounds of {@link PipelineConvergenceTest} with the store on the real PostgreSQL (a private
 * schema): the links and members ypsync keeps must behave the same as on H2. Skipped with the reason when no
 * PostgreSQL answers (failed under -Dypsync.test.postgres.required=true).
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false", "sync.courses.enabled=true"})
@ScenarioExtension.Scenario(postgres = true)
class PipelineConvergencePostgresTest implements ScenarioExtension.InScenario {
    private final ScenarioWorld world;

    PipelineConvergencePostgresTest(ScenarioWorld world) {
        this.world = world;
    }

    @ParameterizedTest
    @ValueSource(longs = {707L})
    void everyRoundConvergesOnPostgresql(long seed) throws Exception {
        PipelineConvergenceTest.rounds(world, seed);
    }
}
