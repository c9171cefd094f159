package org.ypsync.netypareo;

/**
 * A NetYpareo call failed. Carries the instance id and the path, never the token. Only
 * {@link NetypareoUnavailableException} is worth retrying ({@link #retryable()}).
 */
public class NetypareoException extends RuntimeException {
    private final String instanceId;
    private final String path;
    private final int status;

    public NetypareoException(String instanceId, String path, int status, String message, Throwable cause) {
        super(message, cause);
        this.instanceId = instanceId;
        this.path = path;
        this.status = status;
    }

    public NetypareoException(String instanceId, String path, int status, String message) {
        this(instanceId, path, status, message, null);
    }

    public String instanceId() {
        return instanceId;
    }

    /** The path relative to {@code index.php/r/v1/}. */
    public String path() {
        return path;
    }

    /** The HTTP status, or 0 when none was received. */
    public int status() {
        return status;
    }

    /** Whether a later attempt may succeed (only for {@link NetypareoUnavailableException}). */
    public boolean retryable() {
        return false;
    }
}
