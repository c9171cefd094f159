package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ypsync.Launch;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.moodle.emulator.MoodleUser;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.ops.StageRun;

/**
 * An unexpected error on the Moodle batch executor's thread is not lost: the store fails while the users stage
 * records the links of the users Moodle has just created, the run fails with the reason, and the next run adopts
 * the accounts Moodle already holds (matched by username and linked) instead of creating them twice.
 */
class BatchWriteFailureScenarioTest {
    private static final String LOST = "connection to the store lost (test)";

    @AfterEach
    void disarm() {
        FailingStore.disarm();
    }

    private static int links(String store) throws Exception {
        return OneRun.count(store, "SELECT COUNT(*) FROM moodle_user_link");
    }

    private static List<MoodleUser> accounts(DemoEnvironment env) {
        return env.moodle().users().stream().filter(u -> u.id() > 2 && !u.deleted()).toList();
    }

    @Test
    void aStoreFailureWhileCreatedUsersAreLinkedFailsTheRunAndTheNextRunAdoptsThem() throws Exception {
        String store = "jdbc:h2:mem:batch-failure-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (DemoEnvironment env = DemoEnvironment.start(5L, DataSetSize.DEMO, store)) {
            Map<String, String> config = env.properties();
            Launch.once(config, runner -> {
                List<StageRun> runs = new ArrayList<>(runner.run("cache", false, false));
                runs.addAll(runner.run("site-cohorts", false, false));
                return runs;
            }, System.out);
            FailingStore.install(store, "moodle_user_link");
            FailingStore.arm(1, "08006", LOST);

            StageRun first = OneRun.of(config, "users");
            assertEquals(0, FailingStore.remaining(), "the store failed once");
            assertEquals(StageRun.Outcome.FAILED, first.outcome(), first.summary());
            assertEquals(1, first.problems().size(), first.summary());
            assertTrue(first.problems().get(0).contains("core_user_create_users")
                    && first.problems().get(0).contains(LOST), first.summary());
            int created = accounts(env).size();
            assertTrue(created > 0 && links(store) < created,
                    "Moodle holds accounts whose links were not stored: " + created + " accounts, " + links(store)
                            + " links");

            StageRun second = OneRun.of(config, "users");
            assertNotEquals(StageRun.Outcome.FAILED, second.outcome(), second.summary());
            List<MoodleUser> accounts = accounts(env);
            Map<String, Long> byIdnumber = accounts.stream()
                    .collect(Collectors.groupingBy(MoodleUser::idnumber, Collectors.counting()));
            assertEquals(List.of(), byIdnumber.entrySet().stream().filter(e -> e.getValue() > 1).toList(),
                    "nobody created twice");
            assertEquals(accounts.size(), links(store), "every account Moodle holds is linked");

            env.moodle().resetCounters();
            StageRun third = OneRun.of(config, "users");
            assertNotEquals(StageRun.Outcome.FAILED, third.outcome(), third.summary());
            assertEquals(0, env.moodle().totalWriteCalls(), "converged: " + env.moodle().callsByFunction());
        }
    }
}
