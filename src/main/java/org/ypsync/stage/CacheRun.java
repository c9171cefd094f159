package org.ypsync.stage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
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
    }

    private final RunStart start = RunStart.now();
    private final NetypareoInstance instance;
    private final LocalDate today;
    private final Set<CacheKind> fetched = Collections.synchronizedSet(EnumSet.noneOf(CacheKind.class));
    private final Set<CacheKind> incomplete = Collections.synchronizedSet(EnumSet.noneOf(CacheKind.class));
    private final List<Period> periods = Collections.synchronizedList(new ArrayList<>());
    private final Set<Integer> diplomaGroups = ConcurrentHashMap.newKeySet();
    private final Set<Integer> fcGroups = ConcurrentHashMap.newKeySet();
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final CacheDelta delta;
    private final Semaphore lanes;
    private final List<String> header = Collections.synchronizedList(new ArrayList<>());
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
    }

    CacheDelta delta() {
        return delta;
    }

    /**
     * The fetches as the split reads them: each one waits for a free lane (at most the concurrency's worth of this
     * instance's calls in flight, its route gives the lane back when done, see {@link #laneDone}); once an endpoint
     * failed, no more fetches.
     */
    Iterator<Fetch> inLanes(List<Fetch> fetches) {
        Iterator<Fetch> all = fetches.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !isFailed() && all.hasNext();
            }

            @Override
            public Fetch next() {
                Fetch next = all.next();
                lanes.acquireUninterruptibly();
                return next;
            }
        };
    }

    /** A fetch handed out by {@link #inLanes} is done (answered, failed or skipped). */
    void laneDone() {
        lanes.release();
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

    synchronized void fail(String reason) {
        if (failure == null) {
            failure = reason;
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

    void group(CacheKind kind, int code) {
        (kind == CacheKind.FC_GROUPS ? fcGroups : diplomaGroups).add(code);
    }

    Set<Integer> groups(CacheKind kind) {
        return Set.copyOf(kind == CacheKind.FC_GROUPS ? fcGroups : diplomaGroups);
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
