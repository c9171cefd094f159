package org.ypsync.netypareo;

/** The body is not a JSON object or array of records, or is malformed or truncated. */
public class NetypareoMalformedBodyException extends NetypareoException {
    public NetypareoMalformedBodyException(String instanceId, String path, int status, String message, Throwable cause) {
        super(instanceId, path, status, message, cause);
    }
}
