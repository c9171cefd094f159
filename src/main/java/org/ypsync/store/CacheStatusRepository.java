package org.ypsync.store;

import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** Per NetYpareo instance: its identity and the outcome of its last cache run. */
public final class CacheStatusRepository {

    /** The cache status of one instance. */
    public record CacheStatus(int instanceIndex, Instant lastRunAt, Instant lastSuccessAt, String outcome,
                              String message, long durationMs) {
    }

    private final DataSource dataSource;

    CacheStatusRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void saveInstance(int index, String id, String name, String baseUrl) {
        Jdbc.update(dataSource, "DELETE FROM np_instance WHERE instance_index = ?", index);
        Jdbc.update(dataSource, "INSERT INTO np_instance (instance_index, instance_id, name, base_url) VALUES (?, ?, ?, ?)",
                index, id, name, baseUrl);
    }

    /** Records a run's outcome; the last success time only moves when the run was applied. */
    public void record(int index, Instant startedAt, boolean applied, String outcome, String message, long durationMs) {
        Optional<CacheStatus> previous = find(index);
        Instant lastSuccess = applied ? startedAt : previous.map(CacheStatus::lastSuccessAt).orElse(null);
        Jdbc.update(dataSource, "DELETE FROM cache_status WHERE instance_index = ?", index);
        Jdbc.update(dataSource, "INSERT INTO cache_status (instance_index, last_run_at, last_success_at, outcome, "
                + "message, duration_ms) VALUES (?, ?, ?, ?, ?, ?)", index, startedAt, lastSuccess, outcome,
                truncate(message), durationMs);
    }

    public Optional<CacheStatus> find(int index) {
        CacheStatus[] found = new CacheStatus[1];
        Jdbc.query(dataSource, "SELECT instance_index, last_run_at, last_success_at, outcome, message, duration_ms "
                + "FROM cache_status WHERE instance_index = ?", rs -> found[0] = new CacheStatus(rs.getInt(1),
                instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3)), rs.getString(4), rs.getString(5),
                rs.getLong(6)), index);
        return Optional.ofNullable(found[0]);
    }

    /** The status of every instance, with its name (for the status command). */
    public java.util.List<NamedStatus> all() {
        java.util.List<NamedStatus> out = new java.util.ArrayList<>();
        Jdbc.query(dataSource, "SELECT i.instance_index, i.instance_id, i.name, s.last_run_at, s.last_success_at, "
                + "s.outcome, s.message, s.duration_ms FROM np_instance i LEFT JOIN cache_status s "
                + "ON s.instance_index = i.instance_index ORDER BY i.instance_index", rs -> out.add(new NamedStatus(
                rs.getString(2), rs.getString(3), new CacheStatus(rs.getInt(1), instant(rs.getTimestamp(4)),
                instant(rs.getTimestamp(5)), rs.getString(6), rs.getString(7), rs.getLong(8)))));
        return out;
    }

    /** An instance's id and name with its cache status (fields null when it never ran). */
    public record NamedStatus(String instanceId, String name, CacheStatus status) {
    }

    private static Instant instant(java.sql.Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    public static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }
}
