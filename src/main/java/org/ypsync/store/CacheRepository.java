package org.ypsync.store;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * The reads of the cache stage's guard: what a run staged and what the last accepted run read, per kind. The writes
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

    /** How many records of each kind a run staged. */
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

    /** The staging key of a record: its key column values joined by ':'. */
    public static String key(Object... keyValues) {
        StringJoiner j = new StringJoiner(":");
        for (Object v : keyValues) {
            j.add(String.valueOf(v));
        }
        return j.toString();
    }
}
