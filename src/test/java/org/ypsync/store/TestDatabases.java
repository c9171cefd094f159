package org.ypsync.store;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the store tests run on: a private in-memory H2, and a private schema in the real PostgreSQL at
 * 127.0.0.1:5432 (database test). Without PostgreSQL those tests are skipped with the reason, unless
 * -Dypsync.test.postgres.required=true (as in .ci/run), which turns a missing server into a failure.
 */
public final class TestDatabases {
    public static final String POSTGRES_URL = System.getProperty("ypsync.test.postgres.url",
            "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String POSTGRES_USER = "postgres";

    private TestDatabases() {
    }

    /** The rows a query answers on the store, as text: columns joined by '=', rows by a space. */
    public static String rows(Store store, String sql) throws SQLException {
        StringBuilder rows = new StringBuilder();
        try (var c = store.dataSource().getConnection(); var rs = c.createStatement().executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    rows.append(rs.getString(i)).append(i < columns ? "=" : " ");
                }
            }
        }
        return rows.toString().strip();
    }

    public static String h2() {
        return "jdbc:h2:mem:ypsync-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    /** A fresh schema on the real PostgreSQL; the URL selects it. */
    public static String postgres() {
        String schema = "ypsync_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var c = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "");
             var st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String reason = "PostgreSQL not reachable at " + POSTGRES_URL + " (" + e.getMessage() + ")";
            if (Boolean.getBoolean("ypsync.test.postgres.required")) {
                Assertions.fail(reason + ": required by -Dypsync.test.postgres.required=true");
            }
            Assumptions.abort(reason + ": PostgreSQL tests skipped");
        }
        return POSTGRES_URL + "?currentSchema=" + schema;
    }

    public static Store open(String database) {
        return switch (database) {
            case "h2" -> Store.open(h2(), "sa", null, 4);
            case "postgres" -> Store.open(postgres(), POSTGRES_USER, null, 4);
            default -> throw new IllegalArgumentException(database);
        };
    }
}
