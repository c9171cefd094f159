package org.ypsync.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The set-based SQL that applies a cache run's staged records to the record tables of one instance, built from each
 * kind's columns (pure: no JDBC here). The route {@code direct:cache-apply} runs the statements in order, in one
 * transaction. Per kind: its counts into {@code cache_count} (read, new, changed and gone, computed in SQL before
 * anything moves), then one MERGE (new rows inserted, changed or returning rows updated, unchanged rows not touched
 * at all), then the missing rows marked gone. The same SQL runs on H2 and PostgreSQL (standard MERGE); every value
 * is a bound parameter.
 */
public final class CacheApplySql {

    /** One statement and its positional parameters. */
    public record Statement(String sql, List<Object> params) {
    }

    private CacheApplySql() {
    }

    /** Kinds in {@code noGone} are not marked gone (some of their records could not be read this time). */
    public static List<Statement> statements(String runId, int instanceIndex, Set<CacheKind> kinds,
                                             Set<CacheKind> noGone, Instant now) {
        Timestamp ts = Timestamp.from(now);
        List<Statement> out = new ArrayList<>();
        for (CacheKind kind : CacheKind.values()) {
            if (!kinds.contains(kind)) {
                continue;
            }
            boolean gone = !noGone.contains(kind);
            out.add(new Statement("DELETE FROM cache_count WHERE instance_index = ? AND kind = ?",
                    List.of(instanceIndex, kind.name())));
            out.add(counts(kind, runId, instanceIndex, gone));
            out.add(merge(kind, runId, instanceIndex, ts));
            if (gone) {
                out.add(markGone(kind, runId, instanceIndex, ts));
            }
        }
        return out;
    }

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
        // the family is bound too (see scopeParams): no value is ever written into the SQL text
        return alias + ".instance_index = ?" + (kind.family() == null ? "" : " AND " + alias + ".family = ?");
    }

    private static List<Object> scopeParams(CacheKind kind, int instanceIndex) {
        return kind.family() == null ? List.of(instanceIndex) : List.of(instanceIndex, kind.family());
    }

    private static String keyMatch(CacheKind kind) {
        StringJoiner on = new StringJoiner(" AND ");
        for (CacheKind.Column k : kind.keyColumns()) {
            on.add("t." + k.name() + " = s." + k.name());
        }
        return on.toString();
    }

    /** The SQL expression that rebuilds a row's staging key from its key columns. */
    static String keyExpression(CacheKind kind, String alias) {
        StringJoiner key = new StringJoiner(" || ':' || ");
        for (CacheKind.Column k : kind.keyColumns()) {
            key.add("CAST(" + alias + "." + k.name() + " AS VARCHAR(40))");
        }
        return key.toString();
    }

    /** One row of cache_count: read, new, changed and gone, all counted before the merge. */
    private static Statement counts(CacheKind kind, String runId, int instanceIndex, boolean gone) {
        String newRows = "SELECT COUNT(*) FROM " + source(kind) + " s WHERE NOT EXISTS (SELECT 1 FROM " + kind.table()
                + " t WHERE " + scope(kind, "t") + " AND " + keyMatch(kind) + ")";
        String changedRows = "SELECT COUNT(*) FROM " + source(kind) + " s JOIN " + kind.table() + " t ON "
                + scope(kind, "t") + " AND " + keyMatch(kind)
                + " WHERE t.content_hash <> s.content_hash OR t.gone_at IS NOT NULL";
        String goneRows = "SELECT COUNT(*) FROM " + kind.table() + " t WHERE " + scope(kind, "t")
                + " AND t.gone_at IS NULL AND NOT EXISTS (SELECT 1 FROM cache_staging s WHERE s.run_id = ?"
                + " AND s.kind = ? AND s.record_key = " + keyExpression(kind, "t") + ")";
        List<Object> params = new ArrayList<>(List.of(instanceIndex, kind.name()));
        params.add(runId);
        params.add(kind.name());
        params.addAll(scopeParams(kind, instanceIndex));
        params.add(runId);
        params.add(kind.name());
        params.addAll(scopeParams(kind, instanceIndex));
        if (gone) {
            params.addAll(scopeParams(kind, instanceIndex));
            params.add(runId);
            params.add(kind.name());
        }
        params.add(runId);
        params.add(kind.name());
        String sql = "INSERT INTO cache_count (instance_index, kind, read_count, new_count, changed_count, gone_count,"
                + " accepted_count) SELECT CAST(? AS INT), CAST(? AS VARCHAR(40)), r.n, (" + newRows + "), ("
                + changedRows + "), " + (gone ? "(" + goneRows + ")" : "0") + ", r.n"
                + " FROM (SELECT COUNT(*) AS n FROM cache_staging WHERE run_id = ? AND kind = ?) r";
        return new Statement(sql, params);
    }

    private static Statement merge(CacheKind kind, String runId, int instanceIndex, Timestamp ts) {
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
        List<Object> params = new ArrayList<>(List.of(runId, kind.name()));
        params.addAll(scopeParams(kind, instanceIndex));
        params.add(ts);
        // INSERT values: instance_index, then family when the kind has one
        params.addAll(scopeParams(kind, instanceIndex));
        params.add(ts);
        params.add(ts);
        return new Statement(sql, params);
    }

    private static Statement markGone(CacheKind kind, String runId, int instanceIndex, Timestamp ts) {
        String sql = "UPDATE " + kind.table() + " t SET gone_at = ? WHERE " + scope(kind, "t")
                + " AND t.gone_at IS NULL AND NOT EXISTS (SELECT 1 FROM cache_staging s WHERE s.run_id = ?"
                + " AND s.kind = ? AND s.record_key = " + keyExpression(kind, "t") + ")";
        List<Object> params = new ArrayList<>(List.of(ts));
        params.addAll(scopeParams(kind, instanceIndex));
        params.add(runId);
        params.add(kind.name());
        return new Statement(sql, params);
    }
}
