package org.ypsync.moodle;

/**
 * The token, the service or the site refuses work (invalidtoken, accessexception, sitemaintenance, ...), or the
 * answer cannot be trusted. The stage must stop: after one of these the {@link MoodleClient} refuses every
 * further call, so a bad token never hammers Moodle.
 */
public class MoodleFatalException extends MoodleException {
    public MoodleFatalException(String function, String errorcode, String message, String debuginfo, Throwable cause) {
        super(function, errorcode, message, debuginfo, cause);
    }

    public MoodleFatalException(String function, String errorcode, String message) {
        super(function, errorcode, message);
    }
}
