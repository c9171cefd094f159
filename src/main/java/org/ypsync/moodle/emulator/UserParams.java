package org.ypsync.moodle.emulator;

import org.ypsync.moodle.emulator.Desc.Single;
import org.ypsync.moodle.emulator.Records.UserRow;
import static org.ypsync.moodle.emulator.Desc.multipleOptional;
import static org.ypsync.moodle.emulator.Desc.optional;
import static org.ypsync.moodle.emulator.Desc.single;
import static org.ypsync.moodle.emulator.Desc.value;
import static org.ypsync.moodle.emulator.Desc.withDefault;

/**
 * What core_user_create_users and core_user_update_users accept: their parameter descriptions, the column lengths
 * of the user table and the default password policy.
 */
final class UserParams {
    private UserParams() {
    }

    static Single createUserDesc() {
        return userDesc(true);
    }

    static Single updateUserDesc() {
        return userDesc(false);
    }

    /**
     * The user structure of create_users ({@code create}) or update_users: the same keys in the same order, but
     * update names the user by id, may suspend it and change its picture, and requires or defaults nothing.
     */
    private static Single userDesc(boolean create) {
        Desc.Builder b = single();
        if (create) {
            b.key("createpassword", optional(Param.BOOL))
                    .key("username", value(Param.USERNAME))
                    .key("auth", withDefault(Param.AUTH, "manual"));
        } else {
            b.key("id", value(Param.INT))
                    .key("username", optional(Param.USERNAME))
                    .key("auth", optional(Param.AUTH))
                    .key("suspended", optional(Param.BOOL));
        }
        b.key("password", optional(Param.RAW))
                .key("firstname", create ? value(Param.NOTAGS) : optional(Param.NOTAGS))
                .key("lastname", create ? value(Param.NOTAGS) : optional(Param.NOTAGS))
                .key("email", create ? value(Param.RAW_TRIMMED) : optional(Param.RAW_TRIMMED))
                .key("maildisplay", optional(Param.INT))
                .key("city", optional(Param.NOTAGS))
                .key("country", optional(Param.ALPHA))
                .key("timezone", optional(Param.TIMEZONE))
                .key("description", optional(Param.RAW));
        if (!create) {
            b.key("userpicture", optional(Param.INT));
        }
        return b.key("firstnamephonetic", optional(Param.NOTAGS))
                .key("lastnamephonetic", optional(Param.NOTAGS))
                .key("middlename", optional(Param.NOTAGS))
                .key("alternatename", optional(Param.NOTAGS))
                .key("interests", optional(Param.TEXT))
                .key("idnumber", create ? withDefault(Param.RAW, "") : optional(Param.RAW))
                .key("institution", optional(Param.TEXT))
                .key("department", optional(Param.TEXT))
                .key("phone1", optional(Param.NOTAGS))
                .key("phone2", optional(Param.NOTAGS))
                .key("address", optional(Param.TEXT))
                .key("lang", create ? withDefault(Param.LANG, "en") : optional(Param.LANG))
                .key("calendartype", create ? withDefault(Param.PLUGIN, "gregorian") : optional(Param.PLUGIN))
                .key("theme", optional(Param.PLUGIN))
                .key("mailformat", optional(Param.INT))
                .key("customfields", multipleOptional(WsValues.keyValueDesc("type", Param.ALPHANUMEXT)))
                .key("preferences", multipleOptional(WsValues.keyValueDesc("type", Param.RAW)))
                .build();
    }

    static void checkUserLengths(UserRow u) {
        WsValues.checkLength("user", "username", u.username, 100);
        WsValues.checkLength("user", "auth", u.auth, 20);
        WsValues.checkLength("user", "firstname", u.firstname, 100);
        WsValues.checkLength("user", "lastname", u.lastname, 100);
        WsValues.checkLength("user", "email", u.email, 100);
        WsValues.checkLength("user", "idnumber", u.idnumber, 255);
        WsValues.checkLength("user", "lang", u.lang, 30);
        WsValues.checkLength("user", "theme", u.theme, 50);
        WsValues.checkLength("user", "timezone", u.timezone, 100);
        WsValues.checkLength("user", "city", u.city, 120);
        WsValues.checkLength("user", "country", u.country, 2);
        WsValues.checkLength("user", "institution", u.institution, 255);
        WsValues.checkLength("user", "department", u.department, 255);
        WsValues.checkLength("user", "phone1", u.phone1, 20);
        WsValues.checkLength("user", "phone2", u.phone2, 20);
        WsValues.checkLength("user", "address", u.address, 255);
        WsValues.checkLength("user", "firstnamephonetic", u.firstnamephonetic, 255);
        WsValues.checkLength("user", "lastnamephonetic", u.lastnamephonetic, 255);
        WsValues.checkLength("user", "middlename", u.middlename, 255);
        WsValues.checkLength("user", "alternatename", u.alternatename, 255);
    }

    /** check_password_policy with the default policy; the HTML text is what Moodle throws as the errorcode. */
    static String passwordPolicyErrors(SiteConfig cfg, String password) {
        if (!cfg.passwordPolicy) {
            return "";
        }
        StringBuilder err = new StringBuilder();
        int len = password.codePointCount(0, password.length());
        long digits = password.codePoints().filter(Character::isDigit).count();
        long lower = password.codePoints().filter(Character::isLowerCase).count();
        long upper = password.codePoints().filter(Character::isUpperCase).count();
        long other = password.codePoints().filter(c -> !Character.isLetterOrDigit(c)).count();
        if (len < 8) err.append("<div>Passwords must be at least 8 characters long.</div>");
        if (digits < 1) err.append("<div>Passwords must have at least 1 digit(s).</div>");
        if (lower < 1) err.append("<div>Passwords must have at least 1 lower case letter(s).</div>");
        if (upper < 1) err.append("<div>Passwords must have at least 1 upper case letter(s).</div>");
        if (other < 1) {
            err.append("<div>The password must have at least 1 special character(s) such as *, -, or #.</div>");
        }
        return err.toString();
    }

    static void checkPassword(SiteConfig cfg, String password) {
        String err = passwordPolicyErrors(cfg, password);
        if (!err.isEmpty()) {
            throw WsException.moodleNoString("error", err);
        }
    }
}
