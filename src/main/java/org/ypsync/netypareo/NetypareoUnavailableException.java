package org.ypsync.netypareo;

/** HTTP 5xx or 429, connection refused, connect or read timeout (also mid-body): retry later. */
public class NetypareoUnavailableException extends NetypareoException {
    public NetypareoUnavailableException(String instanceId, String path, int status, String message, Throwable cause) {
        super(instanceId, path, status, message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
