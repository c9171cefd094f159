package org.ypsync.netypareo;

/** The token was refused (HTTP 401) or may not call this endpoint (HTTP 403): tick the endpoint for the prestataire. */
public class NetypareoAccessDeniedException extends NetypareoException {
    public NetypareoAccessDeniedException(String instanceId, String path, int status, String message, Throwable cause) {
        super(instanceId, path, status, message, cause);
    }
}
