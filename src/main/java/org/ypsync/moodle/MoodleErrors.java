package org.ypsync.moodle;

import java.util.Locale;
import java.util.Set;

/**
 * The classification table: Moodle {@code errorcode} (never the translated message) to an error class.
 */
public final class MoodleErrors {

    public enum Kind { FATAL, RECORD, TRANSIENT }

    /** Codes that say the token, its user, its service or the site refuses work: stop the stage at once. */
    static final Set<String> FATAL = Set.of(
            "invalidtoken", "accessexception", "servicenotavailable", "nopermissions", "sitemaintenance",
            "usernotconfirmed", "passwordisexpired", "invalidresponse", "requireloginerror",
            "enablewsdescription", "webservicesdisabled", "invalidtokensession", "forcepasswordchangenotice",
            "invalidiptoken", "invalidtimedtoken", "tokenexpired",
            // client-side codes for answers that cannot be trusted
            "nonjsonresponse", "unexpectedresponse", "http401", "http403", "http404", "http405");

    /** Codes of a server-side hiccup rather than of the data. */
    static final Set<String> TRANSIENT = Set.of("dbconnectionfailed", "dbsessionhandlerproblem");

    private MoodleErrors() {
    }

    /**
     * The class of an errorcode. Unknown codes count as record-level: an all-or-nothing batch is then bisected,
     * which costs calls but never loses a good record.
     */
    public static Kind classify(String errorcode) {
        if (errorcode == null || errorcode.isBlank()) {
            return Kind.RECORD;
        }
        String c = errorcode.trim().toLowerCase(Locale.ROOT);
        if (FATAL.contains(c) || c.startsWith("wsaccessuser")) {
            return Kind.FATAL;
        }
        if (TRANSIENT.contains(c)) {
            return Kind.TRANSIENT;
        }
        return Kind.RECORD;
    }

    /** The class of a non-JSON-error HTTP status (a JSON error body is classified by its errorcode instead). */
    public static Kind classifyStatus(int status) {
        if (status >= 500 || status == 429 || status == 408) {
            return Kind.TRANSIENT;
        }
        return Kind.FATAL;
    }

    /**
     * Whether a transient HTTP status may come after Moodle ran the call: 503 (maintenance page, overload) and
     * 429 are answered before any work; 500/502/504 may follow a committed write.
     */
    static boolean statusMayHaveWritten(int status) {
        return !(status == 503 || status == 429);
    }

    /** The exception for a Moodle error body. */
    public static MoodleException toException(String function, String errorcode, String message, String debuginfo) {
        return switch (classify(errorcode)) {
            case FATAL -> new MoodleFatalException(function, errorcode, message, debuginfo, null);
            case TRANSIENT -> new MoodleTransientException(function, errorcode, message, true, null);
            case RECORD -> new MoodleRecordException(function, errorcode, message, debuginfo);
        };
    }
}
