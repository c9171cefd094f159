package org.ypsync.moodle;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class MoodleErrorsTest {

    @ParameterizedTest
    @CsvSource({
            "invalidtoken, FATAL", "accessexception, FATAL", "servicenotavailable, FATAL", "nopermissions, FATAL",
            "sitemaintenance, FATAL", "wsaccessusersuspended, FATAL", "wsaccessusernologin, FATAL",
            "wsaccessuserdeleted, FATAL", "usernotconfirmed, FATAL", "passwordisexpired, FATAL",
            "invalidresponse, FATAL", "nonjsonresponse, FATAL", "InvalidToken, FATAL",
            "invalidparameter, RECORD", "shortnametaken, RECORD", "idnumbertaken, RECORD",
            "courseidnumbertaken, RECORD", "categoryidnumbertaken, RECORD", "dmlwriteexception, RECORD",
            "invaliduser, RECORD", "invalidrecord, RECORD", "codingerror, RECORD", "usernamelowercase, RECORD",
            "'<div>Passwords must be at least 8 characters long.</div>', RECORD", "somethingnew, RECORD", "'', RECORD",
            "dbconnectionfailed, TRANSIENT"
    })
    void classifiesByErrorcode(String code, MoodleErrors.Kind kind) {
        assertEquals(kind, MoodleErrors.classify(code));
    }

    @ParameterizedTest
    @CsvSource({"500, TRANSIENT", "502, TRANSIENT", "503, TRANSIENT", "504, TRANSIENT", "429, TRANSIENT",
            "403, FATAL", "404, FATAL", "401, FATAL", "302, FATAL"})
    void classifiesHttpStatuses(int status, MoodleErrors.Kind kind) {
        assertEquals(kind, MoodleErrors.classifyStatus(status));
    }

    @ParameterizedTest
    @CsvSource({"invalidtoken, org.ypsync.moodle.MoodleFatalException",
            "invalidparameter, org.ypsync.moodle.MoodleRecordException",
            "dbconnectionfailed, org.ypsync.moodle.MoodleTransientException"})
    void buildsTheMatchingException(String code, Class<?> type) {
        MoodleException e = MoodleErrors.toException("f", code, "m", null);
        assertInstanceOf(type, e);
        assertEquals(code, e.errorcode());
        assertEquals("f", e.function());
    }
}
