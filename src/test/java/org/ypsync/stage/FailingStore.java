package org.ypsync.stage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.api.Trigger;

/**
 * A store that fails on purpose, for the scenario tests of errors that must not be lost: an H2 trigger on one table
 * that refuses the next {@code n} inserts with an SQL error of the given state, as a lost connection or a broken
 * constraint would. The armed failures are shared by every table it is installed on (one JVM-wide count): the
 * tests that use it install it on one table at a time, arm it, run, and disarm it.
 */
public final class FailingStore implements Trigger {
    private static final AtomicInteger REMAINING = new AtomicInteger();
    private static volatile String sqlState = "08006";
    private static volatile String message = "";

    /** Installs the trigger on {@code table} of the H2 database at {@code url} (once per table). */
    public static void install(String url, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            c.createStatement().execute("CREATE TRIGGER IF NOT EXISTS fail_" + table + " BEFORE INSERT ON " + table
                    + " FOR EACH ROW CALL '" + FailingStore.class.getName() + "'");
        }
    }

    /** Removes the trigger from {@code table}. */
    public static void uninstall(String url, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            c.createStatement().execute("DROP TRIGGER IF EXISTS fail_" + table);
        }
    }

    /** The next {@code n} inserts fail with {@code text} and SQL state {@code state}. */
    public static void arm(int n, String state, String text) {
        sqlState = state;
        message = text;
        REMAINING.set(n);
    }

    /** No more failures. */
    public static void disarm() {
        REMAINING.set(0);
    }

    /** How many armed failures are left (0: every one happened). */
    public static int remaining() {
        return REMAINING.get();
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (REMAINING.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SQLException(message, sqlState);
        }
    }
}
