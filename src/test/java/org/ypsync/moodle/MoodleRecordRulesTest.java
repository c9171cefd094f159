package org.ypsync.moodle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoodleRecordRulesTest {

    static final MoodleSettings.PasswordPolicy POLICY = MoodleSettings.PasswordPolicy.MOODLE_DEFAULT;

    static Map<String, Object> user(Object... overrides) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("username", "jdupont");
        u.put("firstname", "Jean");
        u.put("lastname", "Dupont");
        u.put("email", "jean.dupont@example.org");
        u.put("auth", "manual");
        u.put("password", "Passw0rd!");
        u.put("idnumber", "EXT-001");
        for (int i = 0; i < overrides.length; i += 2) {
            u.put((String) overrides[i], overrides[i + 1]);
        }
        return u;
    }

    static String code(Optional<MoodleRecordRules.Violation> v) {
        return v.map(MoodleRecordRules.Violation::errorcode).orElse("ok");
    }

    static String newUser(Object... overrides) {
        return code(MoodleRecordRules.checkNewUser(user(overrides), POLICY));
    }

    @Test
    void aValidUserPasses() {
        assertEquals("ok", newUser());
        assertEquals("ok", newUser("firstname", "Zoé-Hélène", "lastname", "O'Connor Lefèvre"));
        assertEquals("ok", newUser("password", null, "createpassword", true));
        assertEquals("ok", newUser("password", null, "createpassword", 1));
        assertEquals("ok", newUser("auth", "cas", "password", null));
        assertEquals("ok", newUser("customfields", List.of(Map.of("type", "site", "value", "PAR"))));
        assertEquals("ok", newUser("username", "jean.dupont-2_x@cfa"));
    }

    @ParameterizedTest
    @CsvSource({
            "JDupont, usernamelowercase",
            "josé, invalidusername",
            "jean paul, invalidusername",
            "' jdupont', invalidusername",
            "jean+paul, invalidusername",
            "'', invalidusernameblank",
    })
    void usernameRules(String username, String expected) {
        assertEquals(expected, newUser("username", username));
    }

    @Test
    void usernameAtMost100() {
        assertEquals("ok", newUser("username", "a".repeat(100)));
        assertEquals("toolong", newUser("username", "a".repeat(101)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-email", "a@b", "a@@b.fr", "a b@c.fr", " jean@x.fr", "jean@x.fr ", "a@.fr",
            "<a@b.fr>", "a..b@c.fr", "a@b_c.fr"})
    void invalidEmails(String email) {
        assertEquals("invalidemail", newUser("email", email));
    }

    @Test
    void emailLengthAndBlank() {
        String local = "a".repeat(60);
        assertEquals("ok", newUser("email", local + "@" + "b".repeat(27) + ".example.org")); // 100
        assertEquals("toolong", newUser("email", local + "@" + "b".repeat(28) + ".example.org"));
        assertEquals("missingvalue", newUser("email", ""));
        assertEquals("missingvalue", newUser("email", null));
        assertEquals("ok", newUser("email", "JEAN.Dupont+cfa@Sub.Example.ORG"));
        assertEquals("ok", newUser("email", "a@b.c"));
        assertEquals("invalidemail", newUser("email", "a".repeat(65) + "@example.org")); // local part > 64
        assertEquals("invalidemail", newUser("email", "a-@-b.fr"));
    }

    @Test
    void namesRequiredShortAndWithoutTags() {
        assertEquals("missingvalue", newUser("firstname", " "));
        assertEquals("missingvalue", newUser("lastname", null));
        assertEquals("ok", newUser("lastname", "A".repeat(100)));
        assertEquals("toolong", newUser("lastname", "A".repeat(120)));
        assertEquals("invalidvalue", newUser("firstname", "<b>Jean</b>"));
        assertEquals("ok", newUser("firstname", "Jean < Paul"));
    }

    @Test
    void passwordPolicyOrCreatepasswordForInternalAuth() {
        assertEquals("passwordrequired", newUser("password", null));
        assertEquals("passwordrequired", newUser("auth", "nologin", "password", null));
        assertEquals("passwordrequired", newUser("password", null, "createpassword", false));
        assertEquals("passwordpolicy", newUser("password", "abc"));
        assertEquals("passwordpolicy", newUser("password", "Passw0rdX")); // no special character
        assertEquals("passwordpolicy", newUser("password", "passw0rd!")); // no upper case
        assertEquals("passwordpolicy", newUser("password", "Pa0!"));      // too short
        assertEquals("ok", code(MoodleRecordRules.checkNewUser(user("password", "abc"),
                MoodleSettings.PasswordPolicy.NONE)));
        // the reason never echoes the password
        String reason = MoodleRecordRules.checkNewUser(user("password", "abc"), POLICY).orElseThrow().reason();
        assertTrue(!reason.contains("abc"), reason);
    }

    @Test
    void keysAuthAndBooleans() {
        assertEquals("unknownkey", newUser("foo", "bar"));
        assertEquals("ok", newUser("foo", null)); // not sent
        assertEquals("unknownkey", newUser("id", 3));
        assertEquals("authnotallowed", newUser("auth", "webservice"));
        assertEquals("authnotallowed", newUser("auth", "mnet"));
        assertEquals("invalidvalue", newUser("password", null, "createpassword", "true"));
        assertEquals("invalidvalue", newUser("lang", "fr FR"));
        assertEquals("invalidvalue", newUser("customfields", List.of(Map.of("shortname", "x", "value", "y"))));
        assertEquals("invalidvalue", newUser("mailformat", "html"));
    }

    @Test
    void updateRules() {
        assertEquals("ok", code(MoodleRecordRules.checkUserUpdate(Map.of("id", 3, "lastname", "X"), POLICY)));
        assertEquals("ok", code(MoodleRecordRules.checkUserUpdate(Map.of("id", "3", "suspended", true), POLICY)));
        assertEquals("invaliduserid", code(MoodleRecordRules.checkUserUpdate(Map.of("lastname", "X"), POLICY)));
        assertEquals("invaliduserid", code(MoodleRecordRules.checkUserUpdate(Map.of("id", 0), POLICY)));
        assertEquals("unknownkey", code(MoodleRecordRules.checkUserUpdate(Map.of("id", 3, "foo", "bar"), POLICY)));
        assertEquals("usernamelowercase",
                code(MoodleRecordRules.checkUserUpdate(Map.of("id", 3, "username", "JD"), POLICY)));
        assertEquals("invalidemail",
                code(MoodleRecordRules.checkUserUpdate(Map.of("id", 3, "email", "x"), POLICY)));
        assertEquals("invalidvalue",
                code(MoodleRecordRules.checkUserUpdate(Map.of("id", 3, "suspended", "yes"), POLICY)));
        assertEquals("missingvalue",
                code(MoodleRecordRules.checkUserUpdate(Map.of("id", 3, "firstname", ""), POLICY)));
    }

    static Map<String, Object> cohort(Object... overrides) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("categorytype", Map.of("type", "system", "value", ""));
        c.put("name", "BTS SIO 2024");
        c.put("idnumber", "COH-SIO-2024");
        for (int i = 0; i < overrides.length; i += 2) {
            c.put((String) overrides[i], overrides[i + 1]);
        }
        return c;
    }

    @Test
    void cohortRules() {
        assertEquals("ok", code(MoodleRecordRules.checkNewCohort(cohort())));
        assertEquals("ok", code(MoodleRecordRules.checkNewCohort(cohort("idnumber", ""))));
        assertEquals("ok", code(MoodleRecordRules.checkNewCohort(cohort("categorytype",
                Map.of("type", "idnumber", "value", "CAT-BTS"), "visible", false))));
        assertEquals("missingvalue", code(MoodleRecordRules.checkNewCohort(cohort("categorytype", null))));
        assertEquals("invalidvalue", code(MoodleRecordRules.checkNewCohort(cohort("categorytype",
                Map.of("type", "course", "value", "1")))));
        assertEquals("invalidvalue", code(MoodleRecordRules.checkNewCohort(cohort("categorytype",
                Map.of("type", "id", "value", "abc")))));
        assertEquals("missingvalue", code(MoodleRecordRules.checkNewCohort(cohort("name", " "))));
        assertEquals("missingvalue", code(MoodleRecordRules.checkNewCohort(cohort("idnumber", null))));
        assertEquals("toolong", code(MoodleRecordRules.checkNewCohort(cohort("idnumber", "X".repeat(101)))));
        assertEquals("unknownkey", code(MoodleRecordRules.checkNewCohort(cohort("contextid", 1))));
        assertEquals("invalidvalue", code(MoodleRecordRules.checkCohortUpdate(cohort())));
        assertEquals("ok", code(MoodleRecordRules.checkCohortUpdate(cohort("id", 2))));
    }

    @Test
    void memberRules() {
        Map<String, Object> ok = Map.of("cohorttype", Map.of("type", "idnumber", "value", "COH-1"),
                "usertype", Map.of("type", "username", "value", "jdupont"));
        assertEquals("ok", code(MoodleRecordRules.checkMemberAdd(ok)));
        assertEquals("1", code(MoodleRecordRules.checkMemberAdd(Map.of("cohorttype",
                Map.of("type", "id", "value", 1), "usertype", Map.of("type", "idnumber", "value", "EXT-3")))));
        assertEquals("invalidvalue", code(MoodleRecordRules.checkMemberAdd(Map.of("cohorttype",
                Map.of("type", "id", "value", "x"), "usertype", Map.of("type", "id", "value", 3)))));
        assertEquals("2", code(MoodleRecordRules.checkMemberAdd(Map.of("cohorttype",
                Map.of("type", "id", "value", 1), "usertype", Map.of("type", "username", "value", "JDupont")))));
        assertEquals("ok", code(MoodleRecordRules.checkMemberDelete(Map.of("cohortid", 1, "userid", 3L))));
        assertEquals("invalidvalue", code(MoodleRecordRules.checkMemberDelete(Map.of("cohortid", 1))));
        assertEquals("unknownkey", code(MoodleRecordRules.checkMemberDelete(Map.of("cohortid", 1, "userid", 3,
                "x", 1))));
    }
}
