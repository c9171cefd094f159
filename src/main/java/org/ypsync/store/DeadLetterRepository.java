package org.ypsync.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** What failed, kept for the operator to read and replay. Callers mask secrets before handing text here. */
public final class DeadLetterRepository {

    /** One dead letter. */
    public record DeadLetter(long id, Instant createdAt, String stage, Integer instanceIndex, String recordKey,
                             String reason, String errorCode, String payload, int attempts) {
    }

    private final DataSource dataSource;

    DeadLetterRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void add(String stage, Integer instanceIndex, String recordKey, String reason, String errorCode,
                    String payload) {
        Jdbc.update(dataSource, "INSERT INTO dead_letter (created_at, stage, instance_index, record_key, reason, "
                + "error_code, payload, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, 1)", Instant.now(), stage, instanceIndex,
                recordKey, CacheStatusRepository.truncate(reason == null ? "(no reason given)" : reason), errorCode,
                payload);
    }

    public List<DeadLetter> list(String stage) {
        List<DeadLetter> out = new ArrayList<>();
        String sql = "SELECT id, created_at, stage, instance_index, record_key, reason, error_code, payload, attempts "
                + "FROM dead_letter" + (stage == null ? "" : " WHERE stage = ?") + " ORDER BY id";
        Jdbc.RowHandler h = rs -> out.add(new DeadLetter(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                rs.getString(3), (Integer) rs.getObject(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8), rs.getInt(9)));
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

    public void remove(long id) {
        Jdbc.update(dataSource, "DELETE FROM dead_letter WHERE id = ?", id);
    }
}
