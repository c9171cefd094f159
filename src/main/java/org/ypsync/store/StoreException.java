package org.ypsync.store;

/** A store operation failed (database unreachable, constraint, SQL error). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * What went wrong in the store, for a run's report: "SQL state S: message" of the first SQL error in the chain
     * of {@code e} (causes, suppressed and next exceptions: a driver's error wrapped by Spring or camel-sql), else
     * e's own message. Not masked: the caller masks secrets.
     */
    public static String describe(Throwable e) {
        java.sql.SQLException sql = firstSqlError(e, new java.util.HashSet<>());
        if (sql == null) {
            return String.valueOf(e.getMessage());
        }
        return (sql.getSQLState() == null ? "SQL state unknown" : "SQL state " + sql.getSQLState()) + ": "
                + sql.getMessage();
    }

    private static java.sql.SQLException firstSqlError(Throwable e, java.util.Set<Throwable> seen) {
        if (e == null || !seen.add(e)) {
            return null;
        }
        if (e instanceof java.sql.SQLException s && s.getSQLState() != null) {
            return s;
        }
        java.sql.SQLException found = firstSqlError(e.getCause(), seen);
        if (found == null && e instanceof java.sql.SQLException s) {
            found = firstSqlError(s.getNextException(), seen);
        }
        for (Throwable suppressed : e.getSuppressed()) {
            if (found == null) {
                found = firstSqlError(suppressed, seen);
            }
        }
        if (found == null && e instanceof java.sql.SQLException s) {
            return s;
        }
        return found;
    }
}
