package org.ypsync.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.ypsync.store.CacheRepository.KindCounts;

/**
 * The set-based SQL that applies a cache run's staged rows to the record tables of one instance, built from each
 * kind's columns (pure: no JDBC here). The run staged only what changes: new, changed and returning records, and a
 * gone mark per stored record it did not read ({@link CacheDelta}); the counts were decided with them. The route
 * {@code direct:cache-apply} runs the statements in order, in one transaction. Per kind: its counts into
 * {@code cache_count}, then, only when there is something to do, one MERGE of the staged records (new rows inserted,
 * changed or returning rows updated) and one MERGE of the gone marks. Unchanged rows are not touched at all. The
 * same SQL runs on H2 and PostgreSQL (standard MERGE); every value is a bound parameter.
 */
public final class CacheApplySql {

    /** One statement and its positional parameters. */
    public record Statement(String sql, List<Object> params) {
    }

    private CacheApplySql() {
    }

    /** The statements of the kinds in {@code counts}, each kind with what the run decided for it. */
    public static List<Statement> statements(String runId, int instanceIndex, Map<CacheKind, KindCounts> counts,
                                             Instant now) {
        Timestamp ts = Timestamp.from(now);
        List<Statement> out = new ArrayList<>();
        for (CacheKind kind : CacheKind.values()) {
            KindCounts k = counts.get(kind);
            if (k == null) {
                continue;
            }
            out.add(new Statement("DELETE FROM cache_count WHERE instance_index = ? AND kind = ?",
                    List.of(instanceIndex, kind.name())));
            out.add(new Statement("INSERT INTO cache_count (instance_index, kind, read_count, new_count, changed_count,"
                    + " gone_count, accepted_count) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    List.of(instanceIndex, kind.name(), k.read(), k.created(), k.changed(), k.gone(), k.read())));
            if (k.changed() > 0) {
                out.add(merge(kind, runId, instanceIndex, ts));
            } else if (k.created() > 0) {
                // only records the table does not hold (a first load): inserted, without matching every row
                out.add(insert(kind, runId, instanceIndex, ts));
            }
            if (k.gone() > 0) {
                out.add(markGone(kind, runId, instanceIndex, ts));
            }
        }
        return out;
    }

    /** The staged records of a kind (or its gone marks, key columns only) as typed columns. */
    private static String source(CacheKind kind, boolean goneMarks) {
        StringJoiner cols = new StringJoiner(", ");
        List<CacheKind.Column> columns = goneMarks ? kind.keyColumns() : kind.columns();
        for (int i = 0; i < columns.size(); i++) {
            CacheKind.Column col = columns.get(i);
            String raw = "c" + (i + 1);
            cols.add(("VARCHAR".equals(col.type()) ? raw : "CAST(" + raw + " AS " + col.type() + ")") + " AS " + col.name());
        }
        return "(SELECT " + cols + (goneMarks ? "" : ", content_hash") + " FROM cache_staging WHERE run_id = ? AND kind = ?"
                + " AND gone = " + (goneMarks ? "TRUE" : "FALSE") + ")";
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

    /** The columns and values of a new row, from the staged row {@code s}. */
    private record NewRow(String columns, String values) {
        static NewRow of(CacheKind kind) {
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
            return new NewRow(insertCols.toString(), insertVals.toString());
        }
    }

    /** New records only: one INSERT ... SELECT of the staged rows. */
    private static Statement insert(CacheKind kind, String runId, int instanceIndex, Timestamp ts) {
        NewRow row = NewRow.of(kind);
        String sql = "INSERT INTO " + kind.table() + " (" + row.columns() + ") SELECT " + row.values() + " FROM "
                + source(kind, false) + " s";
        List<Object> params = new ArrayList<>(scopeParams(kind, instanceIndex));
        params.add(ts);
        params.add(ts);
        params.add(runId);
        params.add(kind.name());
        return new Statement(sql, params);
    }

    private static Statement merge(CacheKind kind, String runId, int instanceIndex, Timestamp ts) {
        StringJoiner set = new StringJoiner(", ");
        for (CacheKind.Column d : kind.dataColumns()) {
            set.add(d.name() + " = s." + d.name());
        }
        set.add("content_hash = s.content_hash").add("changed_at = ?").add("gone_at = NULL");
        NewRow row = NewRow.of(kind);
        String sql = "MERGE INTO " + kind.table() + " t USING " + source(kind, false) + " s ON (" + scope(kind, "t")
                + " AND " + keyMatch(kind) + ")"
                + " WHEN MATCHED AND (t.content_hash <> s.content_hash OR t.gone_at IS NOT NULL) THEN UPDATE SET " + set
                + " WHEN NOT MATCHED THEN INSERT (" + row.columns() + ") VALUES (" + row.values() + ")";
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
        String sql = "MERGE INTO " + kind.table() + " t USING " + source(kind, true) + " s ON (" + scope(kind, "t")
                + " AND " + keyMatch(kind) + ") WHEN MATCHED AND t.gone_at IS NULL THEN UPDATE SET gone_at = ?";
        List<Object> params = new ArrayList<>(List.of(runId, kind.name()));
        params.addAll(scopeParams(kind, instanceIndex));
        params.add(ts);
        return new Statement(sql, params);
    }
}
