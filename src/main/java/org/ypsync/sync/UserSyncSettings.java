package org.ypsync.sync;

import java.util.Objects;

/**
 * User-stage settings. auth: Moodle auth plugin for created users; createPassword: ask Moodle to generate and mail
 * the password (createpassword=1) instead of sending a generated one (internal auths only); userTypeField: profile
 * field shortname carrying student/teacher/tutor, null = off; allowSharedEmail: mirror of Moodle's
 * allowaccountssameemail; maxSuspensionShare: suspension guard (see {@link Guards#suspensions}).
 */
public record UserSyncSettings(MatchMode match, String auth, boolean createPassword, String userTypeField,
        boolean allowSharedEmail, double maxSuspensionShare) {

    public static final String DEFAULT_USER_TYPE_FIELD = "netypareo_usertype";
    public static final double DEFAULT_MAX_SUSPENSION_SHARE = 0.10;

    public UserSyncSettings {
        Objects.requireNonNull(match, "match");
        if (auth == null || auth.isBlank()) {
            throw new IllegalArgumentException("auth must not be blank");
        }
        if (auth.equals("mnet") || auth.equals("webservice")) {
            throw new IllegalArgumentException("Moodle refuses auth '" + auth + "' for created users");
        }
        if (userTypeField != null && userTypeField.isBlank()) {
            userTypeField = null;
        }
        if (!(maxSuspensionShare >= 0)) {
            throw new IllegalArgumentException("maxSuspensionShare must be >= 0");
        }
    }

    public static UserSyncSettings defaults() {
        return new UserSyncSettings(MatchMode.USERNAME, "manual", false, DEFAULT_USER_TYPE_FIELD, false,
                DEFAULT_MAX_SUSPENSION_SHARE);
    }

    public UserSyncSettings withMatch(MatchMode m) {
        return new UserSyncSettings(m, auth, createPassword, userTypeField, allowSharedEmail, maxSuspensionShare);
    }

    public UserSyncSettings withAuth(String a) {
        return new UserSyncSettings(match, a, createPassword, userTypeField, allowSharedEmail, maxSuspensionShare);
    }

    public UserSyncSettings withCreatePassword(boolean c) {
        return new UserSyncSettings(match, auth, c, userTypeField, allowSharedEmail, maxSuspensionShare);
    }

    public UserSyncSettings withUserTypeField(String f) {
        return new UserSyncSettings(match, auth, createPassword, f, allowSharedEmail, maxSuspensionShare);
    }

    public UserSyncSettings withAllowSharedEmail(boolean a) {
        return new UserSyncSettings(match, auth, createPassword, userTypeField, a, maxSuspensionShare);
    }

    public boolean internalAuth() {
        return UserFields.INTERNAL_AUTHS.contains(auth);
    }
}
