package org.ypsync.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ypsync.EmulatedWorld;
import org.ypsync.Launcher;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.Fault;
import org.ypsync.store.DeadLetterRepository.DeadLetter;

/**
 * The run history and the dead letters go through the sql: endpoints of routes/operations.camel.yaml, on the real
 * routes (AdviceWith): a run writes its history row and each of its dead letters there, once per record with its
 * attempts count, and a store that refuses a dead letter fails the run instead of losing the record silently.
 */
@CamelMainTest(mainClass = Launcher.class, properties = {
        "ypsync.schedule.enabled=false",
        "netypareo.retry.max-redeliveries=0"})
class StoreWritesRouteTest implements EmulatedWorld.Configured {
    @RegisterExtension
    static final EmulatedWorld WORLD = EmulatedWorld.of(31L, DataSetSize.DEMO,
            "jdbc:h2:mem:store-writes;DB_CLOSE_DELAY=-1");

    @BeforeEach
    void fresh() throws Exception {
        env().netypareo().clearFaults();
        try (Connection c = store().dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String t : List.of("dead_letter", "stage_run", "stage_lock")) {
                st.execute("DELETE FROM " + t);
            }
        }
    }

    private StageRun run(String stage) {
        return runner().run(stage, false, false).get(0);
    }

    private MockEndpoint mock(String name) {
        return context().getEndpoint("mock:" + name, MockEndpoint.class);
    }

    @Test
    void aRunWritesItsHistoryRowAndItsDeadLettersThroughTheSqlEndpoints() throws Exception {
        AdviceWith.adviceWith(context(), "run-history",
                a -> a.weaveById("stage-run-insert").after().to("mock:stage-run-insert"));
        AdviceWith.adviceWith(context(), "dead-letter-write", a -> {
            a.weaveById("dead-letter-again").after().to("mock:dead-letter-again");
            a.weaveById("dead-letter-insert").after().to("mock:dead-letter-insert");
        });
        // one endpoint refused: a dead letter of the dead-letter channel; then the users stage's own (bean) ones
        env().netypareo().fault(DemoEnvironment.SECOND, "utilisateur/personnels", Fault.status(403));
        StageRun cache = run("cache");
        StageRun users = run("users");
        int failed = users.counts().failed();
        assertTrue(failed > 0, "the demo data has students Moodle would refuse");

        List<Exchange> history = mock("stage-run-insert").getReceivedExchanges();
        assertEquals(List.of("cache", "users"), history.stream().map(e -> e.getIn().getBody(Map.class).get("stage")).toList());
        history.forEach(e -> assertEquals(1, e.getIn().getHeader("CamelSqlUpdateCount", Integer.class)));
        assertEquals(cache.outcome().name(), store().runs().last("cache").orElseThrow().outcome());
        assertEquals(users.counts(), store().runs().last("users").orElseThrow().counts());

        assertEquals(1, store().deadLetters().count("cache"));
        assertTrue(store().deadLetters().list("cache").get(0).reason().contains("403"));
        assertEquals(failed, store().deadLetters().count("users"));
        assertEquals(1 + failed, mock("dead-letter-insert").getReceivedCounter(), "one row per record");
        assertEquals(1 + failed, mock("dead-letter-again").getReceivedCounter());

        // the same records fail again: their rows are taken again (attempts 2), none added
        run("users");
        assertEquals(1 + failed, mock("dead-letter-insert").getReceivedCounter());
        List<Exchange> again = mock("dead-letter-again").getReceivedExchanges();
        assertEquals(1 + 2 * failed, again.size());
        again.subList(1 + failed, again.size()).forEach(e ->
                assertEquals(1, e.getIn().getHeader("CamelSqlUpdateCount", Integer.class)));
        assertEquals(List.of(2),
                store().deadLetters().list("users").stream().map(DeadLetter::attempts).distinct().toList());
        assertEquals(3, mock("stage-run-insert").getReceivedCounter());
        for (String token : List.of(env().properties().get("netypareo.demo.token"),
                env().properties().get("moodle.token"))) {
            store().deadLetters().list(null)
                    .forEach(d -> assertTrue(d.payload() == null || !d.payload().contains(token)));
        }
    }

    @Test
    void aDeadLetterTheStoreRefusesFailsTheRunInsteadOfBeingLost() throws Exception {
        AdviceWith.adviceWith(context(), "dead-letter-write",
                a -> a.weaveById("dead-letter-insert").replace().throwException(new SQLException("disk full (test)")));
        assertEquals(StageRun.Outcome.OK, run("cache").outcome());
        StageRun users = run("users");

        assertEquals(StageRun.Outcome.FAILED, users.outcome(), users.summary());
        assertTrue(users.problems().stream().anyMatch(p -> p.startsWith("dead letter of users record ")
                && p.endsWith(" not stored: disk full (test)")), users.summary());
        assertEquals(0, store().deadLetters().count("users"));
        var recorded = store().runs().last("users").orElseThrow();
        assertEquals("FAILED", recorded.outcome());
        assertTrue(recorded.message().contains("not stored: disk full (test)"), recorded.message());
    }

    @Test
    void aFailureOfTheDeadLetterChannelItselfFailsTheRunOnceWithoutItsSecretsAndNeverReentersIt() throws Exception {
        String token = env().properties().get("moodle.token");
        AdviceWith.adviceWith(context(), "dead-letter", a -> a.weaveById("dead-letter-row").replace()
                .to("mock:dead-letter-entered")
                .throwException(new IllegalStateException("dead-letter channel broken (test) " + token)));
        // one endpoint refused: the cache's dead letter, whose channel then fails
        env().netypareo().fault(DemoEnvironment.SECOND, "utilisateur/personnels", Fault.status(403));
        StageRun cache = run("cache");

        assertEquals(StageRun.Outcome.FAILED, cache.outcome(), cache.summary());
        assertEquals(1, mock("dead-letter-entered").getReceivedCounter(), "entered once, not again on its own failure");
        assertTrue(cache.problems().stream().anyMatch(p -> p.startsWith("dead letter of cache record ")
                && p.contains(" lost: ") && p.contains("dead-letter channel broken (test)")), cache.summary());
        cache.problems().forEach(p -> assertTrue(!p.contains(token), p));
        assertEquals(0, store().deadLetters().count("cache"));
        assertEquals("FAILED", store().runs().last("cache").orElseThrow().outcome());
    }
}
