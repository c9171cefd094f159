package org.ypsync.sync;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Field keys used in plans and in {@link UserLink#written()}: Moodle's core_user_* field names, and
 * "profile_field_&lt;shortname&gt;" for custom profile fields (Moodle's own convention on user records).
 */
public final class UserFields {
    public static final String USERNAME = "username";
    public static final String FIRSTNAME = "firstname";
    public static final String LASTNAME = "lastname";
    public static final String EMAIL = "email";
    public static final String IDNUMBER = "idnumber";
    public static final String AUTH = "auth";
    public static final String CUSTOM_PREFIX = "profile_field_";
    /** Auth plugins that keep a password in Moodle: creating such a user needs password or createpassword. */
    public static final Set<String> INTERNAL_AUTHS = Set.of("manual", "email", "nologin");

    private UserFields() {
    }

    public static String custom(String shortname) {
        return CUSTOM_PREFIX + shortname;
    }

    public static boolean isCustom(String key) {
        return key.startsWith(CUSTOM_PREFIX);
    }

    /** Plain fields (no profile fields), in order. */
    public static Map<String, String> plain(Map<String, String> fields) {
        Map<String, String> m = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (!isCustom(k)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** Profile fields as shortname to value, in order. */
    public static Map<String, String> customFields(Map<String, String> fields) {
        Map<String, String> m = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (isCustom(k)) {
                m.put(k.substring(CUSTOM_PREFIX.length()), v);
            }
        });
        return m;
    }
}
