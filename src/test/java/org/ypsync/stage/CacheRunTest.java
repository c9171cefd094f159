package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ypsync.netypareo.NetypareoInstance;
import org.ypsync.store.CacheKind;

class CacheRunTest {
    /** A record NetYpareo lists twice in one run is staged once (the second one is a dead letter). */
    @Test
    void duplicateKeysInOneRunAreReportedNotStagedTwice() {
        CacheRun run = new CacheRun(new NetypareoInstance(0, "a", null, "http://h/", "t"), LocalDate.of(2026, 12, 3));
        assertTrue(run.firstTime(CacheKind.STUDENTS, "1"));
        assertFalse(run.firstTime(CacheKind.STUDENTS, "1"));
        assertTrue(run.firstTime(CacheKind.STUDENTS, "2"));
        assertTrue(run.firstTime(CacheKind.STAFF, "1"), "the key is unique per kind");
        run.close();
        assertTrue(run.firstTime(CacheKind.STUDENTS, "1"), "a closed run forgets its keys");
    }

    @Test
    void fetchesComeOnceWhatTheyNeedIsReadAndHasNextNeverWaits() {
        CacheRun run = new CacheRun(new NetypareoInstance(0, "a", null, "http://h/", "t"), LocalDate.of(2026, 12, 3),
                new org.ypsync.store.CacheDelta(), 2);
        CacheRun.Fetch periods = new CacheRun.Fetch(CacheKind.PERIODS, "periodes", null);
        CacheRun.Fetch students = new CacheRun.Fetch(CacheKind.STUDENTS, "utilisateur/apprenants", null);
        CacheRun.Fetch groups = new CacheRun.Fetch(CacheKind.DIPLOMA_GROUPS, "formation-longue/groupes", null);
        CacheRun.Fetch first = new CacheRun.Fetch(CacheKind.DIPLOMA_MEMBERS, "groupes/1/apprenants", 1);
        CacheRun.Fetch second = new CacheRun.Fetch(CacheKind.DIPLOMA_MEMBERS, "groupes/2/apprenants", 2);
        java.util.Iterator<CacheRun.Fetch> fetches = run.fetches(List.of(periods, students),
                done -> done.equals(periods) ? List.of(groups) : done.equals(groups) ? List.of(first, second)
                        : List.of());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<CacheRun.Fetch> handed = new java.util.ArrayList<>();
        try {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
                // as Camel's parallel split does: take a fetch, ask hasNext at once (before the fetch runs), then
                // run the fetch elsewhere
                boolean more = fetches.hasNext();
                while (more) {
                    CacheRun.Fetch f = fetches.next();
                    more = fetches.hasNext();
                    if (!f.isNothing()) {
                        handed.add(f);
                        pool.submit(() -> run.done(f));
                    }
                }
            });
        } finally {
            pool.shutdownNow();
        }
        assertEquals(java.util.Set.of(periods, students, groups, first, second), java.util.Set.copyOf(handed));
        assertEquals(5, handed.size());
        assertTrue(handed.indexOf(periods) < handed.indexOf(groups));
        assertTrue(handed.indexOf(groups) < handed.indexOf(first) && handed.indexOf(groups) < handed.indexOf(second));
    }

    /**
     * A fetch gives its lane back once its answer is received, before it is mapped; its end then gives back nothing
     * more, so the calls in flight never exceed the concurrency.
     */
    @Test
    void aReceivedAnswerFreesItsLaneOnceAndItsEndFreesNoOther() throws Exception {
        CacheRun run = new CacheRun(new NetypareoInstance(0, "a", null, "http://h/", "t"), LocalDate.of(2026, 12, 3),
                new org.ypsync.store.CacheDelta(), 1);
        CacheRun.Fetch students = new CacheRun.Fetch(CacheKind.STUDENTS, "utilisateur/apprenants", null);
        CacheRun.Fetch sites = new CacheRun.Fetch(CacheKind.SITES, "sites", null);
        CacheRun.Fetch periods = new CacheRun.Fetch(CacheKind.PERIODS, "periodes", null);
        java.util.Iterator<CacheRun.Fetch> fetches = run.fetches(List.of(students, sites, periods), done -> List.of());
        assertEquals(students, fetches.next());
        // one lane, held by the students' call: the next fetch waits for it
        Taker second = new Taker(fetches);
        run.received(students);
        assertEquals(sites, second.taken());
        // the students are still being mapped; their end must not free the lane the sites' call holds
        run.done(students);
        Taker third = new Taker(fetches);
        assertEquals(null, third.fetch, "the sites' call still holds the only lane");
        run.done(sites);
        assertEquals(periods, third.taken());
    }

    /** Takes the next fetch on a thread of its own, once that thread is seen waiting for a lane. */
    private static final class Taker {
        private final Thread thread;
        private volatile CacheRun.Fetch fetch;

        Taker(java.util.Iterator<CacheRun.Fetch> fetches) {
            thread = new Thread(() -> fetch = fetches.next());
            thread.setDaemon(true);
            thread.start();
            org.ypsync.Await.until("the fetch waits for a lane", java.time.Duration.ofSeconds(10),
                    () -> thread.getState() == Thread.State.WAITING);
        }

        CacheRun.Fetch taken() throws InterruptedException {
            thread.join(10_000);
            return fetch;
        }
    }

    @Test
    void stagingRowsComeOutInWholeBatchesAndTheRestAtTheEnd() {
        CacheRun run = new CacheRun(new NetypareoInstance(0, "a", null, "http://h/", "t"), LocalDate.of(2026, 12, 3));
        java.util.Map<String, Object> row = java.util.Map.of("k", 1);
        assertEquals(List.of(), run.toStage(List.of(row, row), 3));
        assertEquals(3, run.toStage(List.of(row), 3).size());
        assertEquals(List.of(), run.toStage(List.of(row), 3));
        assertEquals(1, run.unstaged().size());
        assertEquals(List.of(), run.unstaged());
    }
}
