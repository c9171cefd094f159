package org.ypsync.store;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * The reads of the cache stage: the stored rows' content hashes a run compares with ({@link #delta}), what a run
 * staged and what the last accepted run read, per kind (the guard). The writes
 * (staging rows, the apply, dropping the staging rows) are the cache routes' {@code sql:} endpoints
 * (routes/cache.camel.yaml, {@link CacheApply}, {@link CacheApplySql}).
 */
public final class CacheRepository {

    /** What one apply did for one kind. */
    public record KindCounts(int read, int created, int changed, int gone) {
    }

    private final DataSource dataSource;

    public CacheRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** How many rows of each kind a run staged (its new, changed and returning records, and its gone marks). */
    public Map<CacheKind, Integer> stagedCounts(String runId) {
        Map<CacheKind, Integer> counts = new EnumMap<>(CacheKind.class);
        for (CacheKind k : CacheKind.values()) {
            counts.put(k, 0);
        }
        Jdbc.query(dataSource, "SELECT kind, COUNT(*) FROM cache_staging WHERE run_id = ? GROUP BY kind",
                rs -> counts.put(CacheKind.valueOf(rs.getString(1)), rs.getInt(2)), runId);
        return counts;
    }

    /** The counts the last accepted run of an instance read, per kind (absent: never read). */
    public Map<CacheKind, Integer> acceptedCounts(int instanceIndex) {
        Map<CacheKind, Integer> counts = new EnumMap<>(CacheKind.class);
        Jdbc.query(dataSource, "SELECT kind, accepted_count FROM cache_count WHERE instance_index = ?",
                rs -> counts.put(CacheKind.valueOf(rs.getString(1)), rs.getInt(2)), instanceIndex);
        return counts;
    }

    /**
     * The stored rows of an instance, every kind, as a {@link CacheDelta} for a new run: one query per kind, reading
     * only the keys, the content hashes and whether the row is gone.
     */
    public CacheDelta delta(int instanceIndex) {
        CacheDelta delta = new CacheDelta();
        for (CacheKind kind : CacheKind.values()) {
            StringJoiner cols = new StringJoiner(", ");
            kind.keyColumns().forEach(c -> cols.add(c.name()));
            int keys = kind.keyColumns().size();
            String sql = "SELECT " + cols + ", content_hash, gone_at FROM " + kind.table() + " WHERE instance_index = ?"
                    + (kind.family() == null ? "" : " AND family = ?");
            Object[] params = kind.family() == null ? new Object[] {instanceIndex}
                    : new Object[] {instanceIndex, kind.family()};
            // many rows share a hash (the link kinds' constant ones): one String each
            Map<String, String> hashes = new java.util.HashMap<>();
            Jdbc.query(dataSource, sql, rs -> {
                Object[] key = new Object[keys];
                for (int i = 0; i < keys; i++) {
                    key[i] = rs.getInt(i + 1);
                }
                String hash = rs.getString(keys + 1);
                if (hash.length() < 16) {
                    hash = hashes.computeIfAbsent(hash, h -> h);
                }
                delta.stored(kind, key(key), hash, rs.getTimestamp(keys + 2) != null);
            }, params);
        }
        return delta;
    }

    /** The staging key of a record: its key column values joined by ':'. */
    public static String key(Object... keyValues) {
        StringJoiner j = new StringJoiner(":");
        for (Object v : keyValues) {
            j.add(String.valueOf(v));
        }
        return j.toString();
    }
}
