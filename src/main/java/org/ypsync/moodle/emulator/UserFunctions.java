package org.ypsync.moodle.emulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ypsync.moodle.emulator.Records.UserRow;

import static org.ypsync.moodle.emulator.Desc.multiple;
import static org.ypsync.moodle.emulator.Desc.single;
import static org.ypsync.moodle.emulator.Desc.value;
import static org.ypsync.moodle.emulator.WsValues.*;
import static org.ypsync.moodle.emulator.MoodleSite.ADMIN_ID;
import static org.ypsync.moodle.emulator.MoodleSite.GUEST_ID;

/**
 * The core_user_* functions: create, update, get by field, get (by criteria), delete.
 */
final class UserFunctions extends SiteFunctions {
    UserFunctions(MoodleSite site) {
        super(site);
    }

    @Override
    void register() {
        site.fn("core_user_create_users", single().key("users", multiple(UserParams.createUserDesc())).build(),
                this::createUsers, false, true);
        site.fn("core_user_update_users", single().key("users", multiple(UserParams.updateUserDesc())).build(),
                this::updateUsers, false, true);
        site.fn("core_user_get_users_by_field", single().key("field", value(Param.ALPHA))
                .key("values", multiple(value(Param.RAW))).build(), this::getUsersByField, false, false);
        site.fn("core_user_get_users", single().key("criteria", multiple(keyValueDesc("key", Param.ALPHA))).build(),
                this::getUsers, false, false);
        site.fn("core_user_delete_users", single().key("userids", multiple(value(Param.INT))).build(),
                this::deleteUsers, true, true);
    }

    // ------------------------------------------------------------------ users

    /** user_get_user_details as the admin sees it through get_users_by_field / get_users. */
    Map<String, Object> userDetails(UserRow u) {
        Map<String, Object> m = identityOut(u);
        if (!u.address.isEmpty()) m.put("address", u.address);
        if (!u.phone1.isEmpty()) m.put("phone1", u.phone1);
        if (!u.phone2.isEmpty()) m.put("phone2", u.phone2);
        m.put("department", u.department);
        if (!u.institution.isEmpty()) m.put("institution", u.institution);
        if (!u.idnumber.isEmpty()) m.put("idnumber", u.idnumber);
        if (!u.interests.isEmpty()) m.put("interests", u.interests);
        m.put("firstaccess", 0L);
        m.put("lastaccess", 0L);
        m.put("auth", u.auth);
        m.put("suspended", u.suspended);
        m.put("confirmed", u.confirmed);
        m.put("lang", u.lang);
        m.put("theme", u.theme);
        m.put("timezone", u.timezone);
        m.put("mailformat", u.mailformat);
        m.put("trackforums", 0L);
        if (!u.description.isEmpty()) {
            m.put("description", u.description);
            m.put("descriptionformat", 1L);
        }
        if (!u.city.isEmpty()) m.put("city", u.city);
        if (!u.country.isEmpty()) m.put("country", u.country);
        m.put("profileimageurlsmall", site.imageUrl("f2"));
        m.put("profileimageurl", site.imageUrl("f1"));
        List<Object> cf = customFieldsOut(u);
        if (!cf.isEmpty()) m.put("customfields", cf);
        return m;
    }

    /** The first keys of every user description Moodle returns: who the user is, by name and e-mail. */
    static Map<String, Object> identityOut(UserRow u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id);
        m.put("username", u.username);
        m.put("firstname", u.firstname);
        m.put("lastname", u.lastname);
        m.put("fullname", u.firstname + " " + u.lastname);
        m.put("email", u.email);
        return m;
    }

    List<Object> customFieldsOut(UserRow u) {
        List<Object> cf = new ArrayList<>();
        for (Map.Entry<String, String> f : cfg.profileFields.entrySet()) {
            String v = u.customfields.get(f.getKey());
            if (v != null && !v.isEmpty()) {
                cf.add(map("type", "text", "value", v, "displayvalue", v, "name", f.getValue(), "shortname",
                        f.getKey()));
            }
        }
        return cf;
    }

    private void applyCustomFields(UserRow u, List<Map<String, Object>> fields) {
        for (Map<String, Object> f : fields) {
            String shortname = s(f, "type");
            // profile_save_data only writes fields that exist; unknown shortnames are silently ignored.
            if (cfg.profileFields.containsKey(shortname)) {
                u.customfields.put(shortname, s(f, "value"));
            }
        }
    }

    private boolean authInternal(String auth) {
        return Boolean.TRUE.equals(cfg.auths.get(auth));
    }

    private Object createUsers(Map<String, Object> p) {
        List<Map<String, Object>> users = list(p, "users");
        return db.tx(() -> {
            List<Object> out = new ArrayList<>();
            for (Map<String, Object> u : users) {
                out.add(createOneUser(u));
            }
            return out;
        });
    }

    private Map<String, Object> createOneUser(Map<String, Object> u) {
        for (String f : List.of("username", "firstname", "lastname")) {
            if (Param.phpTrim(s(u, f)).isEmpty()) {
                throw WsException.invalidParameter("The field " + f + " cannot be blank");
            }
        }
        String username = s(u, "username");
        if (db.userByUsername(username) != null) {
            throw WsException.invalidParameter("Username already exists: " + username);
        }
        String auth = s(u, "auth");
        if (!cfg.auths.containsKey(auth) || auth.equals("mnet") || auth.equals("webservice")) {
            throw WsException.invalidParameter("Invalid authentication type: " + auth);
        }
        String lang = s(u, "lang");
        if (!cfg.languages.contains(lang)) {
            throw WsException.invalidParameter("Invalid language code: " + lang);
        }
        String theme = s(u, "theme");
        if (!empty(theme) && !cfg.themes.contains(theme)) {
            throw WsException.invalidParameter("Invalid theme: " + theme);
        }
        boolean internal = authInternal(auth);
        boolean createPassword = b(u, "createpassword");
        String password = s(u, "password");
        if (internal && empty(password) && !createPassword) {
            throw WsException.invalidParameter(
                    "Invalid password: you must provide a password, or set createpassword.");
        }
        String email = s(u, "email");
        if (!Param.validEmail(email)) {
            throw WsException.invalidParameter("Email address is invalid: " + email);
        } else if (!cfg.allowAccountsSameEmail && !db.userIdsByEmailIgnoreCase(email).isEmpty()) {
            throw WsException.invalidParameter("Email address already exists: " + email);
        }
        // user_create_user
        if (internal && !createPassword && password != null) {
            UserParams.checkPassword(cfg, password);
        }
        UserRow row = new UserRow();
        row.username = username;
        row.auth = auth;
        row.hasPassword = internal;
        row.forcePasswordChange = createPassword;
        row.firstname = s(u, "firstname");
        row.lastname = s(u, "lastname");
        row.email = cfg.storedEmail(email);
        row.idnumber = s(u, "idnumber");
        row.lang = lang;
        row.calendartype = s(u, "calendartype");
        if (theme != null) row.theme = theme;
        applyOptionalProfile(row, u);
        long now = cfg.now();
        row.timecreated = now;
        row.timemodified = now;
        UserParams.checkUserLengths(row);
        row.id = db.userSeq++;
        row.contextId = db.newContext(State.CONTEXT_USER, row.id);
        applyCustomFields(row, list(u, "customfields"));
        for (Map<String, Object> pref : list(u, "preferences")) {
            row.preferences.put(s(pref, "type"), s(pref, "value"));
        }
        db.putUser(row);
        db.count("created");
        return map("id", row.id, "username", row.username);
    }

    private static void applyOptionalProfile(UserRow row, Map<String, Object> u) {
        if (u.containsKey("maildisplay")) row.maildisplay = l(u, "maildisplay");
        if (u.containsKey("mailformat")) row.mailformat = l(u, "mailformat");
        if (u.containsKey("city")) row.city = s(u, "city");
        if (u.containsKey("country")) row.country = s(u, "country");
        if (u.containsKey("timezone")) row.timezone = s(u, "timezone");
        if (u.containsKey("description")) row.description = s(u, "description");
        if (u.containsKey("firstnamephonetic")) row.firstnamephonetic = s(u, "firstnamephonetic");
        if (u.containsKey("lastnamephonetic")) row.lastnamephonetic = s(u, "lastnamephonetic");
        if (u.containsKey("middlename")) row.middlename = s(u, "middlename");
        if (u.containsKey("alternatename")) row.alternatename = s(u, "alternatename");
        if (u.containsKey("interests")) row.interests = s(u, "interests");
        if (u.containsKey("institution")) row.institution = s(u, "institution");
        if (u.containsKey("department")) row.department = s(u, "department");
        if (u.containsKey("phone1")) row.phone1 = s(u, "phone1");
        if (u.containsKey("phone2")) row.phone2 = s(u, "phone2");
        if (u.containsKey("address")) row.address = s(u, "address");
    }

    private Object updateUsers(Map<String, Object> p) {
        List<Object> warnings = new ArrayList<>();
        for (Map<String, Object> u : list(p, "users")) {
            long id = l(u, "id");
            try {
                db.tx(() -> updateOneUser(u));
            } catch (WsException e) {
                warnings.add(map("item", "user", "itemid", id, "warningcode", e.errorcode, "message",
                        e.getMessage()));
            }
        }
        for (Object w : warnings) {
            // external_warnings declares warningcode PARAM_ALPHANUM: a password-policy "code" (HTML) breaks the
            // return-value validation after the users were already processed.
            String code = (String) ((Map<?, ?>) w).get("warningcode");
            if (!code.matches("[A-Za-z0-9]*")) {
                throw WsException.invalidResponse("warningcode => Invalid parameter value detected");
            }
        }
        return map("warnings", warnings);
    }

    private void updateOneUser(Map<String, Object> u) {
        long id = l(u, "id");
        UserRow existing = db.users.get(id);
        if (existing == null) {
            throw WsException.moodle("invaliduserid", "Invalid user ID", "Invalid user ID");
        }
        if (existing.deleted) {
            throw WsException.moodleNoString("error", "usernotupdateddeleted");
        }
        if (existing.id == GUEST_ID) {
            throw WsException.moodleNoString("error", "usernotupdatedguest");
        }
        String email = s(u, "email");
        if (email != null && !email.equals(existing.email)) {
            if (!Param.validEmail(email)) {
                throw WsException.moodleNoString("error", "useremailinvalid");
            } else if (!cfg.allowAccountsSameEmail) {
                Set<Long> same = new HashSet<>(db.userIdsByEmailIgnoreCase(email));
                same.remove(id);
                if (!same.isEmpty()) {
                    throw WsException.moodle("useremailduplicate", "Duplicate address", "Duplicate address");
                }
            }
        }
        // user_update_user
        String password = s(u, "password");
        if (password != null) {
            UserParams.checkPassword(cfg, password);
        }
        UserRow row = existing.copy();
        if (u.containsKey("username")) row.username = s(u, "username");
        if (u.containsKey("auth")) row.auth = s(u, "auth");
        if (u.containsKey("suspended")) row.suspended = b(u, "suspended");
        if (u.containsKey("firstname")) row.firstname = s(u, "firstname");
        if (u.containsKey("lastname")) row.lastname = s(u, "lastname");
        if (email != null) row.email = cfg.storedEmail(email);
        if (u.containsKey("idnumber")) row.idnumber = s(u, "idnumber");
        if (u.containsKey("lang")) row.lang = s(u, "lang");
        if (u.containsKey("calendartype")) row.calendartype = s(u, "calendartype");
        if (u.containsKey("theme")) row.theme = s(u, "theme");
        if (password != null) row.hasPassword = authInternal(row.auth);
        applyOptionalProfile(row, u);
        row.timemodified = cfg.now();
        UserParams.checkUserLengths(row);
        UserRow clash = db.userByUsername(row.username);
        if (clash != null && clash.id != id) {
            // The unique index on (mnethostid, username) rejects the UPDATE.
            throw WsException.dmlWrite("duplicate key value violates unique constraint \"mdl_user_mneuse_uix\"");
        }
        applyCustomFields(row, list(u, "customfields"));
        for (Map<String, Object> pref : list(u, "preferences")) {
            row.preferences.put(s(pref, "type"), s(pref, "value"));
        }
        db.putUser(row);
        db.count("updated");
    }

    private Object getUsersByField(Map<String, Object> p) {
        String field = s(p, "field");
        Param type = switch (field) {
            case "id" -> Param.INT;
            case "idnumber" -> Param.RAW;
            case "username" -> Param.USERNAME;
            case "email" -> Param.RAW_TRIMMED;
            default -> throw WsException.coding("invalid field parameter");
        };
        Set<String> wanted = new HashSet<>();
        for (Object o : (List<?>) p.get("values")) {
            String v = (String) o;
            String cleaned = type.clean(v, cfg);
            // The code compares with PHP's loose !=: for ids "03" == 3, but "3abc" != 3.
            boolean same = type == Param.INT ? looseIntEquals(v, cleaned) : cleaned.equals(v);
            if (!same) {
                throw WsException.invalidParameter("The field '" + field + "' value is invalid: " + v);
            }
            wanted.add(cleaned);
        }
        List<Object> out = new ArrayList<>();
        for (UserRow u : db.users.values()) {
            String v = switch (field) {
                case "id" -> String.valueOf(u.id);
                case "idnumber" -> u.idnumber;
                case "username" -> u.username;
                default -> u.email;
            };
            if (wanted.contains(v)) {
                out.add(userDetails(u));
            }
        }
        return out;
    }

    private static boolean looseIntEquals(String raw, String cleaned) {
        String t = raw.strip();
        if (t.matches("[+-]?[0-9]+(\\.0*)?")) {
            return Param.phpInt(t) == Long.parseLong(cleaned);
        }
        return raw.equals(cleaned);
    }

    private Object getUsers(Map<String, Object> p) {
        List<Object> warnings = new ArrayList<>();
        Set<String> used = new HashSet<>();
        List<java.util.function.Predicate<UserRow>> filters = new ArrayList<>();
        for (Map<String, Object> c : list(p, "criteria")) {
            String key = s(c, "key");
            String value = s(c, "value");
            if (!used.add(key)) {
                throw WsException.moodleNoString("error", "keyalreadyset");
            }
            switch (key) {
                case "id" -> {
                    long id = Param.phpInt(value);
                    filters.add(u -> u.id == id);
                }
                case "idnumber" -> filters.add(u -> u.idnumber.equals(value));
                case "username" -> {
                    String v = Param.USERNAME.clean(value, cfg);
                    filters.add(u -> u.username.equals(v));
                }
                case "auth" -> {
                    String v = Param.AUTH.clean(value, cfg);
                    filters.add(u -> u.auth.equals(v));
                }
                case "email" -> {
                    String v = Param.phpTrim(value);
                    filters.add(u -> ilike(u.email, v));
                }
                case "firstname" -> {
                    String v = Param.stripTags(value);
                    filters.add(u -> ilike(u.firstname, v));
                }
                case "lastname" -> {
                    String v = Param.stripTags(value);
                    filters.add(u -> ilike(u.lastname, v));
                }
                default -> warnings.add(map("item", key, "warningcode", "invalidfieldparameter", "message",
                        "The search key '" + key + "' is not supported, look at the web service documentation"));
            }
        }
        List<Object> users = new ArrayList<>();
        for (UserRow u : db.users.values()) {
            if (u.deleted) continue;
            if (filters.stream().allMatch(f -> f.test(u))) {
                users.add(userDetails(u));
            }
        }
        return map("users", users, "warnings", warnings);
    }

    /** SQL ILIKE with % and _ wildcards. */
    static boolean ilike(String value, String pattern) {
        StringBuilder re = new StringBuilder("(?s)");
        for (char ch : pattern.toCharArray()) {
            if (ch == '%') re.append(".*");
            else if (ch == '_') re.append('.');
            else re.append(java.util.regex.Pattern.quote(String.valueOf(ch)));
        }
        return java.util.regex.Pattern.compile(re.toString(),
                java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE)
                .matcher(value).matches();
    }

    private Object deleteUsers(Map<String, Object> p) {
        db.tx(() -> {
            for (Object o : (List<?>) p.get("userids")) {
                long id = ((Number) o).longValue();
                UserRow u = db.users.get(id);
                if (u == null || u.deleted) {
                    throw WsException.missingRecord("user");
                }
                if (id == ADMIN_ID) {
                    throw WsException.moodle("useradminodelete", "Administrator accounts cannot be deleted", null);
                }
                deleteUser(u);
            }
        });
        return null;
    }

    /** delete_user: soft delete, frees username/idnumber/e-mail, drops memberships and enrolments. */
    void deleteUser(UserRow u) {
        long now = cfg.now();
        for (Long cohortId : new ArrayList<>(db.members.keySet())) {
            if (db.removeMember(cohortId, u.id)) db.count("removed");
        }
        for (Long courseId : new ArrayList<>(db.enrolments.keySet())) {
            db.removeEnrolment(courseId, u.id);
        }
        UserRow row = u.copy();
        String delname = Param.USERNAME.clean(u.email + "." + now, cfg);
        while (db.userByUsername(delname) != null) {
            delname = delname + "x";
        }
        row.email = md5(u.username);
        row.username = delname;
        row.idnumber = "";
        row.deleted = true;
        row.customfields.clear();
        row.timemodified = now;
        db.putUser(row);
        db.count("deleted");
    }
}
