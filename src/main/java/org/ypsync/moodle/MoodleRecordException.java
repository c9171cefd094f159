package org.ypsync.moodle;

/**
 * Moodle refused the data of the call (invalidparameter, shortnametaken, idnumbertaken, dmlwriteexception, ...).
 * For an all-or-nothing function this means at least one record of the batch is bad: the typed operations of
 * {@link MoodleClient} bisect the batch to find it. Never retried as such.
 */
public class MoodleRecordException extends MoodleException {
    public MoodleRecordException(String function, String errorcode, String message, String debuginfo) {
        super(function, errorcode, message, debuginfo, null);
    }

    public MoodleRecordException(String function, String errorcode, String message) {
        super(function, errorcode, message);
    }
}
