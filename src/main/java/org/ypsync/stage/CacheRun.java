package org.ypsync.stage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.ypsync.netypareo.NetypareoInstance;
import org.ypsync.netypareo.Period;
import org.ypsync.ops.RunStart;
import org.ypsync.store.CacheDelta;
import org.ypsync.store.CacheKind;

/**
 * The cache run of one NetYpareo instance, carried by the exchange while its endpoints are read: which endpoints
 * to read, what was read and how it compares with the store ({@link CacheDelta}), and whether anything went wrong.
 * Nothing reaches the cache tables until {@code finish}. Thread-safe: the fetches of a run go side by side, each on
 * its own copy of the exchange, all sharing this object.
 */
public final class CacheRun {

    /** One endpoint call: the kind of records it gives and its resolved path (group code for members). */
    public record Fetch(CacheKind kind, String path, Integer groupCode) {
        /** No call: what the split is handed when the fetches in flight gave nothing more to read. */
        public static final Fetch NOTHING = new Fetch(null, null, null);

        public boolean isNothing() {
            return kind == null;
        }
    }

    private final RunStart start = RunStart.now();
    private final NetypareoInstance instance;
    private final LocalDate today;
    private final Set<CacheKind> fetched = Collections.synchronizedSet(EnumSet.noneOf(CacheKind.class));
    private final Set<CacheKind> incomplete = Collections.synchronizedSet(EnumSet.noneOf(CacheKind.class));
    private final List<Period> periods = Collections.synchronizedList(new ArrayList<>());
    // the groups whose members were asked for, per family: each once per run
    private final Set<Integer> askedDiplomaGroups = ConcurrentHashMap.newKeySet();
    private final Set<Integer> askedFcGroups = ConcurrentHashMap.newKeySet();
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final CacheDelta delta;
    private final Semaphore lanes;
    private final List<String> header = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Fetch> queue = new ArrayDeque<>();
    private int inFlight;
    private int heavyInFlight;
    private final int concurrency;
    private Function<Fetch, List<Fetch>> followUps = f -> List.of();
    private final List<Map<String, Object>> unstaged = new ArrayList<>();
    private final Map<Fetch, Set<Integer>> groupsByFetch = new ConcurrentHashMap<>();
    // the fetches in flight whose answer is received (their lane already given back)
    private final Set<Fetch> received = ConcurrentHashMap.newKeySet();
    private volatile String failure;
    private volatile boolean closed;

    CacheRun(NetypareoInstance instance, LocalDate today) {
        this(instance, today, new CacheDelta(), 1);
    }

    /**
     * A run against the stored rows of its instance ({@code delta}), reading at most {@code concurrency} endpoints
     * of it at a time.
     */
    CacheRun(NetypareoInstance instance, LocalDate today, CacheDelta delta, int concurrency) {
        this.instance = instance;
        this.today = today;
        this.delta = delta;
        this.lanes = new Semaphore(concurrency);
        this.concurrency = concurrency;
    }

    CacheDelta delta() {
        return delta;
    }

    /**
     * The run's fetches as its one split reads them, in the order their dependencies allow: {@code first} at once,
     * then what {@code followUps} gives for each fetch once it is done (the diploma group lists once the periods are
     * read, a group list's members once it answered). Each fetch waits for a free lane (at most the concurrency's
     * worth of this instance's calls in flight; its route gives the lane back when done, see {@link #done}).
     * <p>
     * Only {@code next} waits: Camel's parallel split asks {@code hasNext} before it processes the fetch it just
     * took, on the same thread, so {@code hasNext} must answer at once. While fetches are in flight it says yes, and
     * {@code next} waits for what they give; when they gave nothing, {@code next} gives {@link Fetch#NOTHING}, which
     * the route skips. Once an endpoint failed, no more fetches.
     */
    Iterator<Fetch> fetches(List<Fetch> first, Function<Fetch, List<Fetch>> followUps) {
        synchronized (queue) {
            queue.addAll(first);
            this.followUps = followUps;
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                synchronized (queue) {
                    return !isFailed() && (!queue.isEmpty() || inFlight > 0);
                }
            }

            @Override
            public Fetch next() {
                Fetch next;
                synchronized (queue) {
                    while (queue.isEmpty() && inFlight > 0 && !isFailed()) {
                        try {
                            queue.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            fail("interrupted while reading NetYpareo");
                        }
                    }
                    if (isFailed() || queue.isEmpty()) {
                        return Fetch.NOTHING;
                    }
                    next = take();
                    inFlight++;
                }
                lanes.acquireUninterruptibly();
                return next;
            }
        };
    }

    /**
     * The next fetch to hand out, the queue's lock held: the first in line, unless the big account answers (whose
     * mapping and staging take the CPU for seconds) already hold half the lanes and a light call is waiting (a
     * group's members: the latency of its call costs nothing while the big ones are mapped).
     */
    private Fetch take() {
        if (heavyInFlight >= Math.max(1, concurrency / 2)) {
            for (Iterator<Fetch> it = queue.iterator(); it.hasNext(); ) {
                Fetch f = it.next();
                if (!heavy(f)) {
                    it.remove();
                    return f;
                }
            }
        }
        Fetch f = queue.remove();
        if (heavy(f)) {
            heavyInFlight++;
        }
        return f;
    }

    private static boolean heavy(Fetch f) {
        return f.kind() == CacheKind.STUDENTS || f.kind() == CacheKind.STAFF || f.kind() == CacheKind.TUTORS;
    }

    /**
     * NetYpareo's answer to a fetch handed out by {@link #fetches} is received whole: its lane is free for the next
     * call while the fetch maps and stages the records (the students' answer keeps the CPU busy for seconds).
     */
    void received(Fetch fetch) {
        if (received.add(fetch)) {
            lanes.release();
        }
    }

    /**
     * A fetch handed out by {@link #fetches} is done (answered, failed or skipped): its lane is free if it was not
     * already ({@link #received}), and what depends on it can be read, unless the run failed.
     */
    void done(Fetch fetch) {
        List<Fetch> next = List.of();
        if (!isFailed()) {
            try {
                next = followUps.apply(fetch);
            } catch (RuntimeException e) {
                fail("cannot plan the fetches after " + fetch.path() + ": " + e.getMessage());
            }
        }
        synchronized (queue) {
            queue.addAll(next);
            inFlight--;
            if (heavy(fetch)) {
                heavyInFlight--;
            }
            queue.notifyAll();
        }
        if (!received.remove(fetch)) {
            lanes.release();
        }
    }

    /**
     * A batch of rows to stage, gathered across the run's fetches (a group's members are a few rows: one insert per
     * group would hold its lane for a round trip to the store each time): whole batches of {@code batchSize} rows
     * come out, the rest stays for the next call or for {@link #unstaged}.
     */
    List<Map<String, Object>> toStage(List<Map<String, Object>> rows, int batchSize) {
        synchronized (unstaged) {
            unstaged.addAll(rows);
            if (unstaged.size() < batchSize) {
                return List.of();
            }
            List<Map<String, Object>> batch = new ArrayList<>(unstaged);
            unstaged.clear();
            return batch;
        }
    }

    /** The rows gathered and not staged yet, once every fetch is done. */
    List<Map<String, Object>> unstaged() {
        synchronized (unstaged) {
            List<Map<String, Object>> rest = new ArrayList<>(unstaged);
            unstaged.clear();
            return rest;
        }
    }

    /** The report's header lines, printed with the summary so that instances read side by side do not interleave. */
    void header(String line) {
        header.add(line);
    }

    List<String> header() {
        return List.copyOf(header);
    }

    public String getId() {
        return start.id();
    }

    public NetypareoInstance getInstance() {
        return instance;
    }

    public Instant getStartedAt() {
        return start.at();
    }

    public LocalDate getToday() {
        return today;
    }

    /** Whether an endpoint failed: the rest of this instance is skipped and its cache left untouched. */
    public boolean isFailed() {
        return failure != null;
    }

    public String getFailure() {
        return failure;
    }

    void fail(String reason) {
        synchronized (this) {
            if (failure == null) {
                failure = reason;
            }
        }
        synchronized (queue) {
            queue.notifyAll();
        }
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        closed = true;
        delta.clear();
    }

    void fetched(CacheKind kind) {
        fetched.add(kind);
    }

    Set<CacheKind> fetchedKinds() {
        synchronized (fetched) {
            return fetched.isEmpty() ? EnumSet.noneOf(CacheKind.class) : EnumSet.copyOf(fetched);
        }
    }

    /** Some records of this kind could not be read: none of its records is marked gone this time. */
    void incomplete(CacheKind kind) {
        incomplete.add(kind);
    }

    Set<CacheKind> incompleteKinds() {
        synchronized (incomplete) {
            return incomplete.isEmpty() ? EnumSet.noneOf(CacheKind.class) : EnumSet.copyOf(incomplete);
        }
    }

    /** Whether this is the first record of this kind and key in the run (the staging key is unique). */
    boolean firstTime(CacheKind kind, String key) {
        return delta.firstTime(kind, key);
    }

    void period(Period p) {
        periods.add(p);
    }

    List<Period> periods() {
        synchronized (periods) {
            return List.copyOf(periods);
        }
    }

    /** A group the fetch of a group list gave. */
    void group(Fetch list, int code) {
        groupsByFetch.computeIfAbsent(list, k -> ConcurrentHashMap.newKeySet()).add(code);
    }

    /** The groups a group list gave, each once per run (a group listed by two lists is asked for once). */
    List<Integer> newGroups(Fetch list) {
        Set<Integer> asked = list.kind() == CacheKind.FC_GROUPS ? askedFcGroups : askedDiplomaGroups;
        return groupsByFetch.getOrDefault(list, Set.of()).stream().sorted().filter(asked::add).toList();
    }

    void note(String note) {
        notes.add(note);
    }

    List<String> notes() {
        synchronized (notes) {
            return List.copyOf(notes);
        }
    }
}
