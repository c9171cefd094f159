package org.ypsync.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ypsync.Await;
import org.ypsync.Launch;
import org.ypsync.Launcher;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.EmulatedData;
import org.ypsync.netypareo.emulator.Fault;
import org.ypsync.store.Store;
import org.ypsync.store.TestDatabases;

/**
 * The operator's commands on the real PostgreSQL, as in production: one-shot runs (the daemon's stand-in) and
 * status / dead-letters list / dead-letters replay from the command line, including while a stage runs elsewhere.
 */
class PostgresOperationsTest {
    private static DemoEnvironment env;
    private static Map<String, String> config;
    private static Store store;

    @BeforeAll
    static void world() {
        String url = TestDatabases.postgres();
        env = DemoEnvironment.start(21L, DataSetSize.DEMO, url);
        config = new HashMap<>(env.properties());
        config.put("ypsync.store.user", TestDatabases.POSTGRES_USER);
        config.put("netypareo.retry.max-redeliveries", "0");
        store = Store.open(url, TestDatabases.POSTGRES_USER, null, 2);
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (env != null) {
            env.close();
        }
    }

    private static String capture(Command c) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = c.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return code + "\n" + bytes.toString(StandardCharsets.UTF_8);
    }

    interface Command {
        int run(PrintStream out) throws Exception;
    }

    private static int once(String... stages) throws Exception {
        return Launch.once(config, runner -> {
            List<StageRun> runs = new ArrayList<>();
            for (String s : stages) {
                runs.addAll(runner.run(s, false, false));
            }
            return runs;
        }, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void statusListAndReplayOnPostgresqlAlsoWhileAStageRunsElsewhere() throws Exception {
        EmulatedData data = env.netypareo().data(DemoEnvironment.FIRST);
        List<StudentAccount> fine = data.students().stream().filter(StudentAccount::active)
                .filter(s -> s.email() != null && s.email().contains("@") && !s.email().startsWith("famille.")).toList();
        int fixed = fine.get(0).code();
        data.setStudentEmail(fixed, "");
        assertEquals(1, once("cache", "users"), "users: some records failed");
        int dead = store.deadLetters().count("users");
        assertTrue(dead >= 1);

        String status = capture(out -> OpsCommands.status(config, out));
        assertTrue(status.startsWith("0\n"), status);
        assertTrue(status.contains("Dead letters: users " + dead), status);
        assertTrue(status.matches("(?s).*\\nusers +.* RECORDS_FAILED .*"), status);
        String list = capture(out -> OpsCommands.listDeadLetters("users", config, out));
        assertTrue(list.contains("student " + fixed) && list.contains("missing e-mail"), list);

        // the e-mail is fixed in NetYpareo and taken into the cache; the replay resolves exactly that record
        data.setStudentEmail(fixed, "fixed.pg@example.org");
        assertEquals(0, once("cache"));
        String replay = capture(out -> Launcher.replay(null, config, out));
        assertTrue(replay.contains("users: " + dead + " dead letter(s) replayed: 1 resolved, " + (dead - 1)
                + " still failing"), replay);
        assertEquals(dead - 1, store.deadLetters().count("users"));

        // a slow cache run elsewhere: status shows it, and a replay of the cache is refused, not run twice
        try (StoreWrites writes = StoreWrites.on(store)) {
            writes.deadLetter("cache", 0, "sites", "an old failure", "test", null, null);
        }
        // slow enough that status and the refused replay (each opening the store) happen while it holds the lock,
        // also on a loaded machine
        env.netypareo().fault(DemoEnvironment.SECOND, "utilisateur/personnels", Fault.delay(Duration.ofSeconds(8)));
        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return once("cache");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("lock taken by the slow run", Duration.ofSeconds(30),
                () -> store.locks().find("cache").isPresent());
        String during = capture(out -> OpsCommands.status(config, out));
        assertTrue(during.contains("Running now:\n  cache on "), during);
        String refused = capture(out -> Launcher.replay("cache", config, out));
        assertTrue(refused.startsWith("2\n"), refused);
        assertTrue(refused.contains("cache: 1 dead letter(s) replayed: 0 resolved, 1 still failing (run FAILED: "
                + "stage cache is already running on "), refused);
        assertEquals(0, slow.get(60, TimeUnit.SECONDS));
        assertEquals(0, store.deadLetters().count("cache"), "the slow run did its work: the old failure is resolved");
        for (String token : List.of(config.get("netypareo.demo.token"), config.get("moodle.token"))) {
            assertFalse((status + list + replay + during + refused).contains(token));
        }
    }
}
