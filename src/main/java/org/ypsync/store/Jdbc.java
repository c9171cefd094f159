package org.ypsync.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** Tiny parameterised JDBC helpers: every value is bound, never concatenated into SQL. */
final class Jdbc {
    @FunctionalInterface
    interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private Jdbc() {
    }

    static void query(DataSource ds, String sql, RowHandler handler, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("query failed: " + sql, e);
        }
    }

    static int update(DataSource ds, String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("update failed: " + sql, e);
        }
    }

    /** One statement, many rows, in one JDBC batch and one transaction. */
    static void batch(DataSource ds, String sql, List<Object[]> rows) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                for (Object[] row : rows) {
                    bind(ps, row);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException("batch update failed: " + sql, e);
        }
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof java.time.Instant instant) {
                ps.setTimestamp(i + 1, java.sql.Timestamp.from(instant));
            } else if (p instanceof java.time.LocalDate date) {
                ps.setDate(i + 1, java.sql.Date.valueOf(date));
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }
}
