package org.ypsync.sync;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Moodle account as read back (lookup for adoption, full read for drift repair). userType = the value of the
 * user-type profile field, null when unset.
 */
public record MoodleAccount(long id, String username, String idnumber, String firstname, String lastname,
        String email, String auth, boolean suspended, String userType) {

    /** The account's values under the {@link UserFields} keys ypsync manages. */
    public Map<String, String> fields(UserSyncSettings s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(UserFields.USERNAME, username);
        m.put(UserFields.FIRSTNAME, firstname);
        m.put(UserFields.LASTNAME, lastname);
        m.put(UserFields.EMAIL, email);
        m.put(UserFields.IDNUMBER, idnumber);
        m.put(UserFields.AUTH, auth);
        if (s.userTypeField() != null) {
            m.put(UserFields.custom(s.userTypeField()), userType);
        }
        return m;
    }
}
