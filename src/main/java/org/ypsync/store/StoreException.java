package org.ypsync.store;

/** A store operation failed (database unreachable, constraint, SQL error). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
