package org.ypsync.netypareo;

/** HTTP 404: the path does not exist on this instance (each path is configurable). */
public class NetypareoNotFoundException extends NetypareoException {
    public NetypareoNotFoundException(String instanceId, String path, int status, String message, Throwable cause) {
        super(instanceId, path, status, message, cause);
    }
}
