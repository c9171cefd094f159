package org.ypsync.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ypsync.Await;
import org.ypsync.store.EachDatabase;
import org.ypsync.store.LockRepository;
import org.ypsync.store.Store;
import org.ypsync.store.TestDatabases;

/** The stage lock on H2 and on the real PostgreSQL: two "nodes" are two StageLocks with their own owner id. */
class StageLocksTest {

    @EachDatabase
    void aSecondNodeIsRefusedWithTheHolderAndTheTimeUntilTheFirstReleases(String db) {
        try (Store store = TestDatabases.open(db);
             StageLocks a = new StageLocks(store.locks(), Duration.ofMinutes(5));
             StageLocks b = new StageLocks(store.locks(), Duration.ofMinutes(5))) {
            a.acquire("users");
            StageLocks.LockedException refused = assertThrows(StageLocks.LockedException.class, () -> b.acquire("users"));
            assertTrue(refused.getMessage().startsWith("stage users is already running on "
                    + StageLocks.displayOwner(a.owner()) + " since "), refused.getMessage());
            assertFalse(refused.getMessage().contains("#"), "the random part of the owner id is not shown");
            b.acquire("tutors");  // another stage is free
            a.release("users");
            b.acquire("users");
            assertEquals(b.owner(), store.locks().find("users").orElseThrow().owner());
        }
    }

    @EachDatabase
    void theSameProcessCannotRunAStageTwice(String db) {
        try (Store store = TestDatabases.open(db); StageLocks a = new StageLocks(store.locks(), Duration.ofMinutes(5))) {
            a.acquire("cache");
            assertThrows(StageLocks.LockedException.class, () -> a.acquire("cache"));
            a.release("cache");
            assertTrue(store.locks().all().isEmpty());
        }
    }

    @EachDatabase
    void theLockOfADeadNodeExpiresAndIsTakenOver(String db) {
        try (Store store = TestDatabases.open(db); StageLocks b = new StageLocks(store.locks(), Duration.ofMinutes(5))) {
            LockRepository locks = store.locks();
            Instant past = Instant.now().minusSeconds(600);
            // a node that died ten minutes ago, its lock expired five minutes ago
            assertTrue(locks.tryAcquire("groups", "dead-node (pid 1)#0000", past, past.plusSeconds(300)).isEmpty());
            b.acquire("groups");
            assertEquals(b.owner(), locks.find("groups").orElseThrow().owner());
            assertFalse(locks.release("groups", "dead-node (pid 1)#0000"), "the dead node cannot free our lock");
            assertFalse(locks.heartbeat("groups", "dead-node (pid 1)#0000", Instant.now(), Instant.now()));
        }
    }

    @EachDatabase
    void theHeartbeatKeepsALongRunAlive(String db) throws Exception {
        try (Store store = TestDatabases.open(db);
             StageLocks a = new StageLocks(store.locks(), Duration.ofMillis(900))) {
            a.acquire("cache");
            Instant firstExpiry = store.locks().find("cache").orElseThrow().expiresAt();
            // until the heartbeat (every 300 ms) has pushed the expiry
            Await.until("heartbeat", Duration.ofSeconds(10),
                    () -> store.locks().find("cache").orElseThrow().expiresAt().isAfter(firstExpiry));
            try (StageLocks b = new StageLocks(store.locks(), Duration.ofMinutes(5))) {
                assertThrows(StageLocks.LockedException.class, () -> b.acquire("cache"));
            }
        }
    }

    @EachDatabase
    void ofManyNodesRacingForOneStageExactlyOneWins(String db) throws Exception {
        try (Store store = TestDatabases.open(db)) {
            int nodes = 6;
            List<StageLocks> all = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                all.add(new StageLocks(store.locks(), Duration.ofMinutes(5)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(nodes);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (StageLocks l : all) {
                    Callable<Boolean> c = () -> {
                        go.await();
                        try {
                            l.acquire("users");
                            return true;
                        } catch (StageLocks.LockedException e) {
                            return false;
                        }
                    };
                    results.add(pool.submit(c));
                }
                go.countDown();
                int winners = 0;
                for (Future<Boolean> f : results) {
                    winners += f.get() ? 1 : 0;
                }
                assertEquals(1, winners);
            } finally {
                pool.shutdownNow();
                all.forEach(StageLocks::close);
            }
        }
    }
}
