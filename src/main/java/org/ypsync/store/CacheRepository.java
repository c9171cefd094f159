package org.ypsync.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * The cache of NetYpareo records. A cache run streams its records into {@code cache_staging}; once the instance's
 * every endpoint answered and the guard accepted the counts, {@link #apply} turns the staging rows into set-based
 * SQL on the record tables: new rows inserted, changed ones updated, missing ones marked gone, unchanged ones not
 * touched at all. The same SQL runs on H2 and PostgreSQL (standard MERGE).
 */
public final class CacheRepository {

    /** What one apply did for one kind. */
    public record KindCounts(int read, int created, int changed, int gone) {
    }

    private final DataSource dataSource;

    public CacheRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Writes one batch of a run's records to the staging table and returns the keys that were already staged in
     * this run (NetYpareo listed the same record twice): those are not staged again.
     */
    public List<String> stage(String runId, List<StagedRecord> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        String sql = "INSERT INTO cache_staging (run_id, kind, record_key, content_hash, "
                + "c1, c2, c3, c4, c5, c6, c7, c8, c9, c10) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (StagedRecord r : batch) {
                    bindStaged(ps, runId, r);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
                return List.of();
            } catch (SQLException batchFailed) {
                c.rollback();
            }
            // A duplicate key broke the batch: insert one by one and report the duplicates.
            List<String> duplicates = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (StagedRecord r : batch) {
                    bindStaged(ps, runId, r);
                    try {
                        ps.executeUpdate();
                        c.commit();
                    } catch (SQLException duplicate) {
                        c.rollback();
                        duplicates.add(r.key());
                    }
                }
            }
            return duplicates;
        } catch (SQLException e) {
            throw new StoreException("could not stage " + batch.size() + " cache records", e);
        }
    }

    private static void bindStaged(PreparedStatement ps, String runId, StagedRecord r) throws SQLException {
        ps.setString(1, runId);
        ps.setString(2, r.kind().name());
        ps.setString(3, r.key());
        ps.setString(4, r.contentHash());
        for (int i = 0; i < 10; i++) {
            Object v = i < r.values().size() ? r.values().get(i) : null;
            ps.setString(5 + i, v == null ? null : v.toString());
        }
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

    /**
     * Applies a run's staged records of the given kinds to the record tables of one instance, in one transaction.
     * Kinds in {@code noGone} are not marked gone (some of their records could not be read this time). With
     * {@code commit} false (dry run) the counts are computed and everything is rolled back.
     */
    public Map<CacheKind, KindCounts> apply(String runId, int instanceIndex, Set<CacheKind> kinds,
                                            Set<CacheKind> noGone, Instant now, boolean commit) {
        Map<CacheKind, KindCounts> result = new EnumMap<>(CacheKind.class);
        Map<CacheKind, Integer> staged = stagedCounts(runId);
        Timestamp ts = Timestamp.from(now);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (CacheKind kind : kinds) {
                    int created = count(c, newRowsSql(kind), runId, kind, instanceIndex);
                    int changed = count(c, changedRowsSql(kind), runId, kind, instanceIndex);
                    if (created + changed > 0) {
                        merge(c, kind, runId, instanceIndex, ts);
                    }
                    int gone = noGone.contains(kind) ? 0 : markGone(c, kind, runId, instanceIndex, ts);
                    int read = staged.getOrDefault(kind, 0);
                    result.put(kind, new KindCounts(read, created, changed, gone));
                    saveCount(c, instanceIndex, kind, new KindCounts(read, created, changed, gone));
                }
                if (commit) {
                    c.commit();
                } else {
                    c.rollback();
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not apply cache run " + runId + " of instance " + instanceIndex, e);
        }
        return result;
    }

    /** Drops a run's staging rows (after apply, or when the run was refused). */
    public void discard(String runId) {
        Jdbc.update(dataSource, "DELETE FROM cache_staging WHERE run_id = ?", runId);
    }

    // --- SQL built from the kind's columns ---------------------------------------------------------------------

    private static String source(CacheKind kind) {
        StringJoiner cols = new StringJoiner(", ");
        List<CacheKind.Column> columns = kind.columns();
        for (int i = 0; i < columns.size(); i++) {
            CacheKind.Column col = columns.get(i);
            String raw = "c" + (i + 1);
            cols.add(("VARCHAR".equals(col.type()) ? raw : "CAST(" + raw + " AS " + col.type() + ")") + " AS " + col.name());
        }
        return "(SELECT " + cols + ", content_hash FROM cache_staging WHERE run_id = ? AND kind = ?)";
    }

    private static String scope(CacheKind kind, String alias) {
        // the family is bound too (see bindScope): no value is ever written into the SQL text
        return alias + ".instance_index = ?" + (kind.family() == null ? "" : " AND " + alias + ".family = ?");
    }

    /** Binds what {@link #scope} asks for from position {@code i}; returns the next position. */
    private static int bindScope(PreparedStatement ps, int i, CacheKind kind, int instanceIndex) throws SQLException {
        ps.setInt(i++, instanceIndex);
        if (kind.family() != null) {
            ps.setString(i++, kind.family());
        }
        return i;
    }

    private static String keyMatch(CacheKind kind) {
        StringJoiner on = new StringJoiner(" AND ");
        for (CacheKind.Column k : kind.keyColumns()) {
            on.add("t." + k.name() + " = s." + k.name());
        }
        return on.toString();
    }

    private static String newRowsSql(CacheKind kind) {
        return "SELECT COUNT(*) FROM " + source(kind) + " s WHERE NOT EXISTS (SELECT 1 FROM " + kind.table()
                + " t WHERE " + scope(kind, "t") + " AND " + keyMatch(kind) + ")";
    }

    private static String changedRowsSql(CacheKind kind) {
        return "SELECT COUNT(*) FROM " + source(kind) + " s JOIN " + kind.table() + " t ON " + scope(kind, "t")
                + " AND " + keyMatch(kind) + " WHERE t.content_hash <> s.content_hash OR t.gone_at IS NOT NULL";
    }

    private static int count(Connection c, String sql, String runId, CacheKind kind, int instanceIndex)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            ps.setString(2, kind.name());
            bindScope(ps, 3, kind, instanceIndex);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void merge(Connection c, CacheKind kind, String runId, int instanceIndex, Timestamp ts)
            throws SQLException {
        StringJoiner set = new StringJoiner(", ");
        for (CacheKind.Column d : kind.dataColumns()) {
            set.add(d.name() + " = s." + d.name());
        }
        set.add("content_hash = s.content_hash").add("changed_at = ?").add("gone_at = NULL");
        StringJoiner insertCols = new StringJoiner(", ");
        StringJoiner insertVals = new StringJoiner(", ");
        insertCols.add("instance_index");
        insertVals.add("?");
        if (kind.family() != null) {
            insertCols.add("family");
            insertVals.add("?");
        }
        for (CacheKind.Column col : kind.columns()) {
            insertCols.add(col.name());
            insertVals.add("s." + col.name());
        }
        insertCols.add("content_hash").add("first_seen_at").add("changed_at");
        insertVals.add("s.content_hash").add("?").add("?");
        String sql = "MERGE INTO " + kind.table() + " t USING " + source(kind) + " s ON (" + scope(kind, "t")
                + " AND " + keyMatch(kind) + ")"
                + " WHEN MATCHED AND (t.content_hash <> s.content_hash OR t.gone_at IS NOT NULL) THEN UPDATE SET " + set
                + " WHEN NOT MATCHED THEN INSERT (" + insertCols + ") VALUES (" + insertVals + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, runId);
            ps.setString(i++, kind.name());
            i = bindScope(ps, i, kind, instanceIndex);
            ps.setTimestamp(i++, ts);
            // INSERT values: instance_index, then family when the kind has one
            i = bindScope(ps, i, kind, instanceIndex);
            ps.setTimestamp(i++, ts);
            ps.setTimestamp(i, ts);
            ps.executeUpdate();
        }
    }

    /** The SQL expression that rebuilds a row's staging key from its key columns. */
    static String keyExpression(CacheKind kind, String alias) {
        StringJoiner key = new StringJoiner(" || ':' || ");
        for (CacheKind.Column k : kind.keyColumns()) {
            key.add("CAST(" + alias + "." + k.name() + " AS VARCHAR(40))");
        }
        return key.toString();
    }

    private static int markGone(Connection c, CacheKind kind, String runId, int instanceIndex, Timestamp ts)
            throws SQLException {
        String sql = "UPDATE " + kind.table() + " t SET gone_at = ? WHERE " + scope(kind, "t")
                + " AND t.gone_at IS NULL AND NOT EXISTS (SELECT 1 FROM cache_staging s WHERE s.run_id = ?"
                + " AND s.kind = ? AND s.record_key = " + keyExpression(kind, "t") + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, ts);
            int i = bindScope(ps, 2, kind, instanceIndex);
            ps.setString(i++, runId);
            ps.setString(i, kind.name());
            return ps.executeUpdate();
        }
    }

    private static void saveCount(Connection c, int instanceIndex, CacheKind kind, KindCounts k) throws SQLException {
        try (PreparedStatement del = c.prepareStatement(
                "DELETE FROM cache_count WHERE instance_index = ? AND kind = ?")) {
            del.setInt(1, instanceIndex);
            del.setString(2, kind.name());
            del.executeUpdate();
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO cache_count (instance_index, kind, read_count, "
                + "new_count, changed_count, gone_count, accepted_count) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ins.setInt(1, instanceIndex);
            ins.setString(2, kind.name());
            ins.setInt(3, k.read());
            ins.setInt(4, k.created());
            ins.setInt(5, k.changed());
            ins.setInt(6, k.gone());
            ins.setInt(7, k.read());
            ins.executeUpdate();
        }
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
