package org.ypsync.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The stage_lock table: one row per running stage. Acquiring is one INSERT (the primary key makes it atomic on H2
 * and PostgreSQL alike) or, when the row is there but expired, one conditional UPDATE that only one node can win.
 */
public final class LockRepository {

    /** Who holds a stage's lock, since when, until when unless renewed. */
    public record Holder(String stage, String owner, Instant acquiredAt, Instant heartbeatAt, Instant expiresAt) {
    }

    private final DataSource dataSource;

    LockRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Takes the lock of {@code stage} for {@code owner} until {@code expiresAt}. Returns empty when taken, otherwise
     * the current holder (which may be ourselves under another owner id).
     */
    public Optional<Holder> tryAcquire(String stage, String owner, Instant now, Instant expiresAt) {
        if (insert(stage, owner, now, expiresAt)) {
            return Optional.empty();
        }
        // There is a row: take it over only if it expired (its node died without releasing it).
        int taken = Jdbc.update(dataSource, "UPDATE stage_lock SET owner = ?, acquired_at = ?, heartbeat_at = ?, "
                + "expires_at = ? WHERE stage = ? AND expires_at < ?", owner, now, now, expiresAt, stage, now);
        if (taken == 1) {
            return Optional.empty();
        }
        Optional<Holder> holder = find(stage);
        if (holder.isEmpty()) {
            // released between our INSERT and our read: try once more
            return insert(stage, owner, now, expiresAt) ? Optional.empty() : find(stage);
        }
        return holder;
    }

    private boolean insert(String stage, String owner, Instant now, Instant expiresAt) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO stage_lock (stage, owner, acquired_at, "
                     + "heartbeat_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
            Jdbc.bind(ps, stage, owner, now, now, expiresAt);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            // 23505 (H2 and PostgreSQL): the primary key exists, somebody holds or held the lock
            if ("23505".equals(e.getSQLState())) {
                return false;
            }
            throw new StoreException("could not take the lock of stage " + stage, e);
        }
    }

    /** Pushes the expiry of a lock we hold; false when we no longer hold it (it expired and was taken over). */
    public boolean heartbeat(String stage, String owner, Instant now, Instant expiresAt) {
        return Jdbc.update(dataSource, "UPDATE stage_lock SET heartbeat_at = ?, expires_at = ? WHERE stage = ? "
                + "AND owner = ?", now, expiresAt, stage, owner) == 1;
    }

    /** Releases a lock we hold (a lock another owner took over is left alone). */
    public boolean release(String stage, String owner) {
        return Jdbc.update(dataSource, "DELETE FROM stage_lock WHERE stage = ? AND owner = ?", stage, owner) == 1;
    }

    public Optional<Holder> find(String stage) {
        List<Holder> found = new ArrayList<>();
        Jdbc.query(dataSource, "SELECT stage, owner, acquired_at, heartbeat_at, expires_at FROM stage_lock "
                + "WHERE stage = ?", rs -> found.add(holder(rs)), stage);
        return found.stream().findFirst();
    }

    /** Every lock row, expired ones included. */
    public List<Holder> all() {
        List<Holder> out = new ArrayList<>();
        Jdbc.query(dataSource, "SELECT stage, owner, acquired_at, heartbeat_at, expires_at FROM stage_lock "
                + "ORDER BY stage", rs -> out.add(holder(rs)));
        return out;
    }

    private static Holder holder(java.sql.ResultSet rs) throws SQLException {
        return new Holder(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant());
    }
}
