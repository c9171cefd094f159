package org.ypsync.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ypsync.store.CacheRepository.KindCounts;

/**
 * What a cache run changes, decided in Java as the records stream in: the content hash of every stored row of the
 * instance is loaded once per run (key to hash, per kind), and each record read is compared with it. Only new,
 * changed and returning records are staged; an unchanged one is only counted. The stored rows not seen by the end
 * are the gone ones. Thread-safe: the fetches of one instance run side by side.
 */
public final class CacheDelta {

    /** What a record read is, against the stored rows. */
    public enum Seen { NEW, CHANGED, UNCHANGED, DUPLICATE }

    // identity markers in the maps, never equal to a content hash (compared with ==)
    private static final String SEEN = new String("seen");
    private static final String GONE = new String("gone");

    private final Map<CacheKind, Map<String, String>> rows = new EnumMap<>(CacheKind.class);
    private final Map<CacheKind, AtomicInteger> read = counters();
    private final Map<CacheKind, AtomicInteger> created = counters();
    private final Map<CacheKind, AtomicInteger> changed = counters();

    public CacheDelta() {
        for (CacheKind kind : CacheKind.values()) {
            rows.put(kind, new ConcurrentHashMap<>());
        }
    }

    private static Map<CacheKind, AtomicInteger> counters() {
        Map<CacheKind, AtomicInteger> out = new EnumMap<>(CacheKind.class);
        for (CacheKind kind : CacheKind.values()) {
            out.put(kind, new AtomicInteger());
        }
        return out;
    }

    /** A stored row, before the run reads anything: its content hash, or gone (a returning record is changed). */
    public void stored(CacheKind kind, String key, String contentHash, boolean gone) {
        rows.get(kind).put(key, gone ? GONE : contentHash);
    }

    /**
     * A record read: NEW (not stored), CHANGED (another hash, or stored as gone), UNCHANGED (same hash: nothing to
     * write), or DUPLICATE (already read in this run: not counted).
     */
    public Seen see(StagedRecord r) {
        String before = mark(r.kind(), r.key());
        if (before == SEEN) {
            return Seen.DUPLICATE;
        }
        read.get(r.kind()).incrementAndGet();
        if (before == null) {
            created.get(r.kind()).incrementAndGet();
            return Seen.NEW;
        }
        if (before != GONE && before.equals(r.contentHash())) {
            return Seen.UNCHANGED;
        }
        changed.get(r.kind()).incrementAndGet();
        return Seen.CHANGED;
    }

    /** Whether this is the first time the run reads this key of this kind (not counted: see {@link #see}). */
    public boolean firstTime(CacheKind kind, String key) {
        return mark(kind, key) != SEEN;
    }

    private String mark(CacheKind kind, String key) {
        return rows.get(kind).put(key, SEEN);
    }

    /** Records read per kind (duplicates not counted): what the guard compares with the last accepted run. */
    public Map<CacheKind, Integer> readCounts() {
        Map<CacheKind, Integer> out = new EnumMap<>(CacheKind.class);
        read.forEach((kind, n) -> out.put(kind, n.get()));
        return out;
    }

    /** The keys of the stored, present rows of a kind that this run did not read: gone, once the run is over. */
    public List<String> goneKeys(CacheKind kind) {
        List<String> out = new ArrayList<>();
        rows.get(kind).forEach((key, value) -> {
            if (value != SEEN && value != GONE) {
                out.add(key);
            }
        });
        Collections.sort(out);
        return out;
    }

    /** Read, new, changed and gone of a kind (gone: 0 when the kind's gone rows are not marked this time). */
    public KindCounts counts(CacheKind kind, boolean markGone) {
        return new KindCounts(read.get(kind).get(), created.get(kind).get(), changed.get(kind).get(),
                markGone ? goneKeys(kind).size() : 0);
    }

    /** Lets go of the loaded rows (the counts stay). */
    public void clear() {
        rows.values().forEach(Map::clear);
    }
}
