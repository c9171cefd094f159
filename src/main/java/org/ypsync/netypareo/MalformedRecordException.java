package org.ypsync.netypareo;

/**
 * One record cannot be used (a required field is missing, a date or boolean is malformed). Unchecked: the caller
 * logs it with the instance and record key and skips the record; the other records stay usable.
 */
public class MalformedRecordException extends RuntimeException {
    private final String reason;

    public MalformedRecordException(String reason) {
        super(reason);
        this.reason = reason;
    }

    /** The reason alone, e.g. "codeApprenant missing". */
    public String reason() {
        return reason;
    }
}
