package org.ypsync.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What failed, kept for the operator to read and replay. Callers mask secrets before handing text here.
 *
 * <p>A record that fails again in a later run updates its row (new reason, attempts + 1) instead of adding one;
 * at the end of a run that could do its work, the rows of the stage that run did not touch are the records that
 * now succeed, and {@link #clearResolved} removes them.
 */
public final class DeadLetterRepository {

    /** One dead letter. {@code createdAt} is the first failure, {@code lastFailedAt} the latest one. */
    public record DeadLetter(long id, Instant createdAt, String stage, Integer instanceIndex, String recordKey,
                             String reason, String errorCode, String payload, int attempts, Instant lastFailedAt) {
    }

    private static final String COLUMNS = "id, created_at, stage, instance_index, record_key, reason, error_code, "
            + "payload, attempts, last_failed_at";

    private final DataSource dataSource;

    DeadLetterRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Adds a dead letter outside of any run (no re-try bookkeeping). */
    public void add(String stage, Integer instanceIndex, String recordKey, String reason, String errorCode,
                    String payload) {
        add(stage, instanceIndex, recordKey, reason, errorCode, payload, null);
    }

    /**
     * Adds a dead letter for run {@code runId}. When a row of the same stage, instance and record key is left from
     * an earlier run, that row is updated (reason, payload, attempts + 1) instead: a record is counted, not repeated.
     * Two failures with the same key in one run are two rows.
     */
    public void add(String stage, Integer instanceIndex, String recordKey, String reason, String errorCode,
                    String payload, String runId) {
        Instant now = Instant.now();
        String why = CacheStatusRepository.truncate(reason == null ? "(no reason given)" : reason);
        if (runId != null) {
            List<Object> params = new ArrayList<>(List.of(why));
            params.add(errorCode);
            params.add(payload);
            params.add(runId);
            params.add(now);
            params.add(stage);
            StringBuilder match = new StringBuilder(" AND ");
            if (instanceIndex == null) {
                match.append("x.instance_index IS NULL");
            } else {
                match.append("x.instance_index = ?");
                params.add(instanceIndex);
            }
            match.append(" AND ");
            if (recordKey == null) {
                match.append("x.record_key IS NULL");
            } else {
                match.append("x.record_key = ?");
                params.add(recordKey);
            }
            params.add(runId);
            // only the fixed SQL text is built here; every value is a bound parameter
            int updated = Jdbc.update(dataSource, "UPDATE dead_letter SET reason = ?, error_code = ?, payload = ?, "
                    + "run_id = ?, last_failed_at = ?, attempts = attempts + 1 WHERE id = (SELECT MIN(x.id) FROM "
                    + "dead_letter x WHERE x.stage = ?" + match + " AND (x.run_id IS NULL OR x.run_id <> ?))",
                    params.toArray());
            if (updated > 0) {
                return;
            }
        }
        Jdbc.update(dataSource, "INSERT INTO dead_letter (created_at, stage, instance_index, record_key, reason, "
                + "error_code, payload, attempts, run_id, last_failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)", now,
                stage, instanceIndex, recordKey, why, errorCode, payload, runId, now);
    }

    /**
     * After run {@code runId} of {@code stage} did its work: the stage's dead letters that run did not fail again
     * are resolved, and removed. Returns how many.
     */
    public int clearResolved(String stage, String runId) {
        return Jdbc.update(dataSource, "DELETE FROM dead_letter WHERE stage = ? AND (run_id IS NULL OR run_id <> ?)",
                stage, runId);
    }

    public List<DeadLetter> list(String stage) {
        List<DeadLetter> out = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + " FROM dead_letter" + (stage == null ? "" : " WHERE stage = ?")
                + " ORDER BY id";
        Jdbc.RowHandler h = rs -> out.add(new DeadLetter(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                rs.getString(3), (Integer) rs.getObject(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8), rs.getInt(9), rs.getTimestamp(10) == null ? rs.getTimestamp(2).toInstant()
                : rs.getTimestamp(10).toInstant()));
        if (stage == null) {
            Jdbc.query(dataSource, sql, h);
        } else {
            Jdbc.query(dataSource, sql, h, stage);
        }
        return out;
    }

    public int count(String stage) {
        int[] n = new int[1];
        Jdbc.query(dataSource, "SELECT COUNT(*) FROM dead_letter WHERE stage = ?", rs -> n[0] = rs.getInt(1), stage);
        return n[0];
    }

    /** Dead letters per stage, stages in name order. */
    public Map<String, Integer> countsByStage() {
        Map<String, Integer> out = new LinkedHashMap<>();
        Jdbc.query(dataSource, "SELECT stage, COUNT(*) FROM dead_letter GROUP BY stage ORDER BY stage",
                rs -> out.put(rs.getString(1), rs.getInt(2)));
        return out;
    }

    public void remove(long id) {
        Jdbc.update(dataSource, "DELETE FROM dead_letter WHERE id = ?", id);
    }
}
