package org.ypsync.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads the run history: one row per run of a stage. The rows are written on the stage routes' path, through
 * camel-sql (route run-history, routes/operations.camel.yaml); what reads them here builds inputs (the drift
 * schedule) or answers operators (status, JMX, health) outside any route.
 */
public final class RunRepository {

    /** Counts of one run. */
    public record RunCounts(int read, int created, int updated, int unchanged, int suspended, int failed) {
        public static final RunCounts NONE = new RunCounts(0, 0, 0, 0, 0, 0);
    }

    /** One row of the run history. */
    public record Run(long id, String stage, Integer instanceIndex, Instant startedAt, Instant endedAt,
                      String outcome, boolean dryRun, RunCounts counts, String message) {
    }

    private final DataSource dataSource;

    RunRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** How many runs of a stage (not dry runs) the history holds. */
    public int count(String stage) {
        int[] n = new int[1];
        Jdbc.query(dataSource, "SELECT COUNT(*) FROM stage_run WHERE stage = ? AND instance_index IS NULL AND dry_run = FALSE",
                rs -> n[0] = rs.getInt(1), stage);
        return n[0];
    }

    /** The last real (not dry) run of a stage as a whole, on any node. */
    public java.util.Optional<Run> last(String stage) {
        return runs("r.id = (SELECT MAX(x.id) FROM stage_run x WHERE x.stage = ? AND x.instance_index IS NULL "
                + "AND x.dry_run = FALSE)", stage).stream().findFirst();
    }

    /** The last run of each stage as a whole (instance_index NULL), newest first per stage. */
    public List<Run> lastPerStage() {
        return runs("r.instance_index IS NULL AND r.id = (SELECT MAX(x.id) FROM stage_run x "
                + "WHERE x.stage = r.stage AND x.instance_index IS NULL) ORDER BY r.stage");
    }

    /** The runs of the history that {@code where} (and what follows it, an ORDER BY) selects. */
    private List<Run> runs(String where, Object... params) {
        List<Run> out = new ArrayList<>();
        Jdbc.query(dataSource, "SELECT r.id, r.stage, r.instance_index, r.started_at, r.ended_at, r.outcome, r.dry_run, "
                + "r.read_count, r.created_count, r.updated_count, r.unchanged_count, r.suspended_count, r.failed_count, "
                + "r.message FROM stage_run r WHERE " + where, rs -> out.add(new Run(
                rs.getLong(1), rs.getString(2), (Integer) rs.getObject(3), rs.getTimestamp(4).toInstant(),
                rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getBoolean(7),
                new RunCounts(rs.getInt(8), rs.getInt(9), rs.getInt(10), rs.getInt(11), rs.getInt(12), rs.getInt(13)),
                rs.getString(14))), params);
        return out;
    }
}
