package org.ypsync.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads what failed, for the operator to list and replay. The rows are written on the stage routes' path, through
 * camel-sql (route dead-letter-write, routes/operations.camel.yaml): a record that fails again in a later run
 * updates its row (new reason, attempts + 1) instead of adding one; at the end of a run that could do its work,
 * the rows of the stage that run did not touch are the records that now succeed, and leave (route
 * dead-letters-resolved).
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
}
