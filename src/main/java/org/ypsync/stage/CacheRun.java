package org.ypsync.stage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.ypsync.netypareo.NetypareoInstance;
import org.ypsync.netypareo.Period;
import org.ypsync.store.CacheKind;

/**
 * The cache run of one NetYpareo instance, carried by the exchange while its endpoints are read: which endpoints
 * to read, what was read, and whether anything went wrong. Nothing reaches the cache tables until {@code finish}.
 */
public final class CacheRun {

    /** One endpoint call: the kind of records it gives and its resolved path (group code for members). */
    public record Fetch(CacheKind kind, String path, Integer groupCode) {
    }

    private final String id = UUID.randomUUID().toString();
    private final NetypareoInstance instance;
    private final Instant startedAt = Instant.now();
    private final LocalDate today;
    private final Set<CacheKind> fetched = Collections.synchronizedSet(EnumSet.noneOf(CacheKind.class));
    private final Set<CacheKind> incomplete = Collections.synchronizedSet(EnumSet.noneOf(CacheKind.class));
    private final List<Period> periods = Collections.synchronizedList(new ArrayList<>());
    private final Set<Integer> diplomaGroups = ConcurrentHashMap.newKeySet();
    private final Set<Integer> fcGroups = ConcurrentHashMap.newKeySet();
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> staged = ConcurrentHashMap.newKeySet();
    private volatile String failure;
    private volatile boolean closed;

    CacheRun(NetypareoInstance instance, LocalDate today) {
        this.instance = instance;
        this.today = today;
    }

    public String getId() {
        return id;
    }

    public NetypareoInstance getInstance() {
        return instance;
    }

    public Instant getStartedAt() {
        return startedAt;
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
        if (failure == null) {
            failure = reason;
        }
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        closed = true;
        staged.clear();
    }

    void fetched(CacheKind kind) {
        fetched.add(kind);
    }

    Set<CacheKind> fetchedKinds() {
        return EnumSet.copyOf(fetched.isEmpty() ? EnumSet.noneOf(CacheKind.class) : fetched);
    }

    /** Some records of this kind could not be read: none of its records is marked gone this time. */
    void incomplete(CacheKind kind) {
        incomplete.add(kind);
    }

    Set<CacheKind> incompleteKinds() {
        return incomplete.isEmpty() ? EnumSet.noneOf(CacheKind.class) : EnumSet.copyOf(incomplete);
    }

    /** Whether this is the first record of this kind and key in the run (the staging key is unique). */
    boolean firstTime(CacheKind kind, String key) {
        return staged.add(kind.ordinal() + ":" + key);
    }

    void period(Period p) {
        periods.add(p);
    }

    List<Period> periods() {
        return List.copyOf(periods);
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
        return List.copyOf(notes);
    }
}
