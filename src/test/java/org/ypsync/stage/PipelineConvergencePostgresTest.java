package org.ypsync.stage;

import java.util.Map;
import org.apache.camel.BeanInject;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ypsync.Launcher;
import org.ypsync.ops.StageRunner;
import org.ypsync.store.Store;
import org.ypsync.store.TestDatabases;

/**
 * The convergence rounds of {@link PipelineConvergenceTest} with the store on the real PostgreSQL (a private
 * schema): the links and members ypsync keeps must behave the same as on H2. Skipped with the reason when no
 * PostgreSQL answers (failed under -Dypsync.test.postgres.required=true).
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false"})
class PipelineConvergencePostgresTest {
    private static ScenarioWorld world;

    @BeanInject("stageRunner")
    StageRunner runner;

    @BeanInject("ypsyncStore")
    Store store;

    @BeforeAll
    static void start() {
        world = ScenarioWorld.startOn(TestDatabases.postgres(), Map.of("ypsync.store.user", TestDatabases.POSTGRES_USER));
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {707L})
    void everyRoundConvergesOnPostgresql(long seed) throws Exception {
        PipelineConvergenceTest.rounds(world, runner, store, seed);
    }
}
