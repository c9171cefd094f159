package org.ypsync.moodle.emulator;

/**
 * An exception as Moodle's web-service layer reports it: PHP class name, errorcode, translated message and
 * (only shown when the site's debug level is on) debuginfo.
 */
final class WsException extends RuntimeException {
    final String phpClass;
    final String errorcode;
    final String debuginfo;

    WsException(String phpClass, String errorcode, String message, String debuginfo) {
        super(message, null, false, false);
        this.phpClass = phpClass;
        this.errorcode = errorcode;
        this.debuginfo = debuginfo;
    }

    static WsException invalidParameter(String debuginfo) {
        return new WsException("invalid_parameter_exception", "invalidparameter",
                "Invalid parameter value detected", debuginfo);
    }

    /** moodle_exception with a core error string. */
    static WsException moodle(String errorcode, String message, String debuginfo) {
        return new WsException("moodle_exception", errorcode, message, debuginfo);
    }

    /** moodle_exception whose errorcode has no lang string: Moodle prints "module/errorcode" as the message. */
    static WsException moodleNoString(String module, String errorcode) {
        return new WsException("moodle_exception", errorcode, module + "/" + errorcode, null);
    }

    static WsException coding(String detail) {
        return new WsException("coding_exception", "codingerror",
                "Coding error detected, it must be fixed by a programmer: " + detail, null);
    }

    /** dml_missing_record_exception as get_record(..., MUST_EXIST) raises it; 'user' has its own code. */
    static WsException missingRecord(String table) {
        if (table.equals("user")) {
            return new WsException("dml_missing_record_exception", "invaliduser", "Invalid user", null);
        }
        return new WsException("dml_missing_record_exception", "invalidrecord",
                "Can't find data record in database table " + table + ".", null);
    }

    static WsException dmlWrite(String debuginfo) {
        return new WsException("dml_write_exception", "dmlwriteexception", "Error writing to database", debuginfo);
    }

    static WsException accessException() {
        return new WsException("webservice_access_exception", "accessexception", "Access control exception",
                "Access to the function is not allowed.");
    }

    static WsException invalidToken() {
        return new WsException("moodle_exception", "invalidtoken", "Invalid token - token not found", null);
    }

    static WsException invalidResponse(String debuginfo) {
        return new WsException("invalid_response_exception", "invalidresponse", "Invalid response value detected",
                debuginfo);
    }
}
