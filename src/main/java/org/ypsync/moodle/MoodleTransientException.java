package org.ypsync.moodle;

/**
 * HTTP 5xx (including the 503 maintenance page), 429, timeouts, refused or reset connections: worth retrying
 * later. {@link #mayHaveWritten()} says whether the request may have reached Moodle and been executed (a read
 * timeout or a 502 after the request was sent) or surely not (connection refused, 503).
 */
public class MoodleTransientException extends MoodleException {

    private final boolean mayHaveWritten;

    public MoodleTransientException(String function, String errorcode, String message, boolean mayHaveWritten,
                                    Throwable cause) {
        super(function, errorcode, message, null, cause);
        this.mayHaveWritten = mayHaveWritten;
    }

    public boolean mayHaveWritten() {
        return mayHaveWritten;
    }
}
