package org.ypsync.moodle;

import java.util.Optional;

/**
 * The token, the service or the site refuses work (invalidtoken, accessexception, sitemaintenance, ...), or the
 * answer cannot be trusted. The stage must stop: after one of these the {@link MoodleClient} refuses every
 * further call (make a new client once the cause is fixed), so a bad token never hammers Moodle.
 *
 * <p>Thrown from a typed batch operation, it carries the {@link #partialResult()}: what was settled before the
 * stop (e.g. users already created), the rest marked as retryable failures with this errorcode.
 */
public class MoodleFatalException extends MoodleException {

    private final transient BatchResult partialResult;

    public MoodleFatalException(String function, String errorcode, String message, String debuginfo, Throwable cause) {
        this(function, errorcode, message, debuginfo, cause, null);
    }

    public MoodleFatalException(String function, String errorcode, String message) {
        this(function, errorcode, message, null, null, null);
    }

    public MoodleFatalException(String function, String errorcode, String message, String debuginfo, Throwable cause,
                                BatchResult partialResult) {
        super(function, errorcode, message, debuginfo, cause);
        this.partialResult = partialResult;
    }

    /** The batch's outcomes up to the stop, when thrown by a typed batch operation. */
    public Optional<BatchResult> partialResult() {
        return Optional.ofNullable(partialResult);
    }
}
