package org.ypsync.moodle;

/**
 * A failed Moodle web-service call. Carries the function, Moodle's {@code errorcode} (or a client-side code such
 * as {@code http503}, {@code timeout}, {@code nonjsonresponse}) and Moodle's message; never the token nor the
 * request body.
 */
public class MoodleException extends RuntimeException {

    private final String function;
    private final String errorcode;
    private final String moodleMessage;
    private final String debuginfo;

    public MoodleException(String function, String errorcode, String moodleMessage, String debuginfo,
                           Throwable cause) {
        super(describe(function, errorcode, moodleMessage), cause);
        this.function = function;
        this.errorcode = errorcode;
        this.moodleMessage = moodleMessage;
        this.debuginfo = debuginfo;
    }

    public MoodleException(String function, String errorcode, String moodleMessage) {
        this(function, errorcode, moodleMessage, null, null);
    }

    private static String describe(String function, String errorcode, String message) {
        return "Moodle " + function + " failed: " + errorcode + (message == null ? "" : " (" + message + ")");
    }

    /** The web-service function called. */
    public String function() {
        return function;
    }

    /** Moodle's errorcode, or the client's code for transport failures. Classification keys on this. */
    public String errorcode() {
        return errorcode;
    }

    /** Moodle's message (translated by the site; for humans only, never to classify). */
    public String moodleMessage() {
        return moodleMessage;
    }

    /** Moodle's debuginfo when the site's debug level sends it, else null. */
    public String debuginfo() {
        return debuginfo;
    }
}
