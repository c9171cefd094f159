package org.ypsync.moodle;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Pure pre-validation of records against Moodle's rules (moodle-ws.md, "User rules" and "Cohort rules"), so that
 * most bad records fail here instead of costing a call that Moodle refuses with an opaque
 * {@code invalidparameter} for the whole batch. A record that passes may still be refused by Moodle (duplicate
 * e-mail with an existing user, lang pack not installed, ...): the client bisects those.
 */
public final class MoodleRecordRules {

    /** A broken rule: a client-side errorcode (Moodle's own where one exists) and a reason without secrets. */
    public record Violation(String errorcode, String reason) {
    }

    /** Keys core_user_create_users knows (any other key fails the whole call). */
    public static final Set<String> CREATE_USER_KEYS = Set.of(
            "username", "firstname", "lastname", "email", "createpassword", "password", "auth", "idnumber", "lang",
            "calendartype", "maildisplay", "city", "country", "timezone", "description", "firstnamephonetic",
            "lastnamephonetic", "middlename", "alternatename", "interests", "institution", "department", "phone1",
            "phone2", "address", "theme", "mailformat", "customfields", "preferences");

    /** Keys core_user_update_users knows. */
    public static final Set<String> UPDATE_USER_KEYS = Set.of(
            "id", "username", "auth", "suspended", "password", "firstname", "lastname", "email", "maildisplay", "city",
            "country", "timezone", "description", "userpicture", "firstnamephonetic", "lastnamephonetic",
            "middlename", "alternatename", "interests", "idnumber", "institution", "department", "phone1", "phone2",
            "address", "lang", "calendartype", "theme", "mailformat", "customfields", "preferences");

    public static final Set<String> COHORT_CREATE_KEYS = Set.of(
            "categorytype", "name", "idnumber", "description", "descriptionformat", "visible", "theme",
            "customfields");
    public static final Set<String> COHORT_UPDATE_KEYS = Set.of(
            "id", "categorytype", "name", "idnumber", "description", "descriptionformat", "visible", "theme",
            "customfields");

    /** Auth plugins that store a password (need password or createpassword on create). */
    static final Set<String> INTERNAL_AUTHS = Set.of("manual", "nologin", "email", "none");
    /** Auth values create_users refuses. */
    static final Set<String> FORBIDDEN_AUTHS = Set.of("mnet", "webservice");

    /** PARAM_USERNAME without extendedusernamechars. */
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9._@-]+");
    /**
     * Moodle 4.4's validate_email is PHPMailer::validateAddress with its default 'php' validator, i.e. PHP's
     * FILTER_VALIDATE_EMAIL (plus no angle brackets). This is its common subset: a dot-atom local part of at most
     * 64 characters, a domain of at least two letter/digit/hyphen labels. (Quoted local parts and IP-literal
     * domains, which PHP also accepts, are refused here.)
     */
    private static final Pattern EMAIL = Pattern.compile(
            "(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    /** Text PHP's strip_tags would change (PARAM_NOTAGS): '<' followed by a tag-ish character. */
    private static final Pattern TAG = Pattern.compile("<[a-zA-Z/!?]");
    private static final Pattern LANG = Pattern.compile("[a-z][a-z0-9_]*");

    /** Column sizes of mdl_user (and the like); longer values end in dmlwriteexception. */
    private static final Map<String, Integer> USER_MAX_LENGTH = Map.ofEntries(
            Map.entry("username", 100), Map.entry("firstname", 100), Map.entry("lastname", 100),
            Map.entry("email", 100), Map.entry("idnumber", 255), Map.entry("city", 120),
            Map.entry("institution", 255), Map.entry("department", 255), Map.entry("phone1", 20),
            Map.entry("phone2", 20), Map.entry("address", 255), Map.entry("firstnamephonetic", 255),
            Map.entry("lastnamephonetic", 255), Map.entry("middlename", 255), Map.entry("alternatename", 255),
            Map.entry("country", 2), Map.entry("lang", 30), Map.entry("auth", 20), Map.entry("timezone", 100));
    /** PARAM_NOTAGS fields. */
    private static final Set<String> USER_NOTAGS = Set.of("firstname", "lastname", "city", "institution",
            "department", "phone1", "phone2", "address", "firstnamephonetic", "lastnamephonetic", "middlename",
            "alternatename");
    private static final Set<String> USER_BOOLS = Set.of("createpassword", "suspended");
    private static final Set<String> USER_INTS = Set.of("id", "maildisplay", "mailformat", "userpicture");

    private MoodleRecordRules() {
    }

    // ---------------------------------------------------------------- users

    /** Rules of core_user_create_users for one user. */
    public static Optional<Violation> checkNewUser(Map<String, ?> u, MoodleSettings.PasswordPolicy policy) {
        Optional<Violation> v = unknownKeys(u, CREATE_USER_KEYS);
        if (v.isPresent()) {
            return v;
        }
        for (String k : List.of("username", "firstname", "lastname", "email")) {
            if (text(u.get(k)).isEmpty() || text(u.get(k)).get().isBlank()) {
                return fail(k.equals("username") ? "invalidusernameblank" : "missingvalue", k + " is required");
            }
        }
        v = commonUserFields(u);
        if (v.isPresent()) {
            return v;
        }
        String auth = text(u.get("auth")).orElse("manual");
        if (FORBIDDEN_AUTHS.contains(auth)) {
            return fail("authnotallowed", "auth '" + auth + "' cannot be used to create users");
        }
        boolean createPassword = truthy(u.get("createpassword"));
        Optional<String> password = text(u.get("password"));
        if (INTERNAL_AUTHS.contains(auth)) {
            if (password.isEmpty() && !createPassword) {
                return fail("passwordrequired", "auth '" + auth + "' needs password or createpassword=1");
            }
            if (password.isPresent()) {
                v = checkPassword(password.get(), policy);
                if (v.isPresent()) {
                    return v;
                }
            }
        }
        return Optional.empty();
    }

    /** Rules of core_user_update_users for one user (only the keys present are checked). */
    public static Optional<Violation> checkUserUpdate(Map<String, ?> u, MoodleSettings.PasswordPolicy policy) {
        Optional<Violation> v = unknownKeys(u, UPDATE_USER_KEYS);
        if (v.isPresent()) {
            return v;
        }
        if (positiveId(u.get("id")).isEmpty()) {
            return fail("invaliduserid", "id must be a positive integer");
        }
        for (String k : List.of("username", "firstname", "lastname", "email")) {
            if (u.containsKey(k) && u.get(k) != null && text(u.get(k)).orElse("").isBlank()) {
                return fail(k.equals("username") ? "invalidusernameblank" : "missingvalue", k + " must not be blank");
            }
        }
        v = commonUserFields(u);
        if (v.isPresent()) {
            return v;
        }
        Optional<String> password = text(u.get("password"));
        if (password.isPresent()) {
            return checkPassword(password.get(), policy);
        }
        return Optional.empty();
    }

    private static Optional<Violation> commonUserFields(Map<String, ?> u) {
        Optional<String> username = text(u.get("username"));
        if (username.isPresent()) {
            Optional<Violation> v = checkUsername(username.get());
            if (v.isPresent()) {
                return v;
            }
        }
        Optional<String> email = text(u.get("email"));
        if (email.isPresent()) {
            Optional<Violation> v = checkEmail(email.get());
            if (v.isPresent()) {
                return v;
            }
        }
        for (Map.Entry<String, Integer> e : USER_MAX_LENGTH.entrySet()) {
            Optional<String> t = text(u.get(e.getKey()));
            if (t.isPresent() && t.get().codePointCount(0, t.get().length()) > e.getValue()) {
                return fail("toolong", e.getKey() + " is longer than " + e.getValue() + " characters");
            }
        }
        for (String k : USER_NOTAGS) {
            Optional<String> t = text(u.get(k));
            if (t.isPresent() && TAG.matcher(t.get()).find()) {
                return fail("invalidvalue", k + " has markup Moodle would strip (PARAM_NOTAGS)");
            }
        }
        for (String k : USER_BOOLS) {
            if (u.get(k) != null && !isBool(u.get(k))) {
                return fail("invalidvalue", k + " must be a boolean (sent as 0/1)");
            }
        }
        for (String k : USER_INTS) {
            if (u.get(k) != null && !isInt(u.get(k))) {
                return fail("invalidvalue", k + " must be an integer");
            }
        }
        Optional<String> auth = text(u.get("auth"));
        if (auth.isPresent() && !LANG.matcher(auth.get()).matches()) {
            return fail("invalidvalue", "auth is not a plugin name");
        }
        Optional<String> lang = text(u.get("lang"));
        if (lang.isPresent() && !LANG.matcher(lang.get()).matches()) {
            return fail("invalidvalue", "lang is not a language code");
        }
        for (String k : List.of("customfields", "preferences")) {
            Optional<Violation> v = typeValueList(u.get(k), k);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** PARAM_USERNAME: what Moodle stores must be exactly what is sent. */
    public static Optional<Violation> checkUsername(String username) {
        if (username.isBlank()) {
            return fail("invalidusernameblank", "username is blank");
        }
        if (!username.equals(username.toLowerCase(Locale.ROOT))) {
            return fail("usernamelowercase", "username must be lower case");
        }
        if (!USERNAME.matcher(username).matches()) {
            return fail("invalidusername", "username may only hold a-z 0-9 . _ - @");
        }
        if (username.length() > 100) {
            return fail("toolong", "username is longer than 100 characters");
        }
        return Optional.empty();
    }

    /** PARAM_RAW_TRIMMED + validate_email + the 100-character column. */
    public static Optional<Violation> checkEmail(String email) {
        if (!email.equals(email.strip())) {
            return fail("invalidemail", "e-mail has surrounding spaces");
        }
        if (email.length() > 100) {
            return fail("toolong", "e-mail is longer than 100 characters");
        }
        if (!EMAIL.matcher(email).matches()) {
            return fail("invalidemail", "e-mail address is not valid");
        }
        return Optional.empty();
    }

    /** The site password policy (check_password_policy). */
    public static Optional<Violation> checkPassword(String password, MoodleSettings.PasswordPolicy p) {
        if (!p.enabled()) {
            return password.isEmpty() ? fail("passwordrequired", "password is empty") : Optional.empty();
        }
        int digits = 0, lower = 0, upper = 0, special = 0;
        for (int cp : password.codePoints().toArray()) {
            if (Character.isDigit(cp)) {
                digits++;
            } else if (Character.isLowerCase(cp)) {
                lower++;
            } else if (Character.isUpperCase(cp)) {
                upper++;
            } else if (!Character.isLetterOrDigit(cp)) {
                special++;
            }
        }
        if (password.codePointCount(0, password.length()) < p.minLength() || digits < p.minDigits()
                || lower < p.minLower() || upper < p.minUpper() || special < p.minSpecial()) {
            // the password itself never goes into the reason
            return fail("passwordpolicy", "password does not meet the site password policy (length "
                    + p.minLength() + ", digits " + p.minDigits() + ", lower " + p.minLower() + ", upper "
                    + p.minUpper() + ", special " + p.minSpecial() + ")");
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- cohorts

    public static Optional<Violation> checkNewCohort(Map<String, ?> c) {
        Optional<Violation> v = unknownKeys(c, COHORT_CREATE_KEYS);
        return v.isPresent() ? v : cohortFields(c);
    }

    public static Optional<Violation> checkCohortUpdate(Map<String, ?> c) {
        Optional<Violation> v = unknownKeys(c, COHORT_UPDATE_KEYS);
        if (v.isPresent()) {
            return v;
        }
        if (positiveId(c.get("id")).isEmpty()) {
            return fail("invalidvalue", "id must be a positive integer");
        }
        return cohortFields(c);
    }

    private static Optional<Violation> cohortFields(Map<String, ?> c) {
        Object ct = c.get("categorytype");
        if (!(ct instanceof Map<?, ?> m)) {
            return fail("missingvalue", "categorytype {type, value} is required");
        }
        String type = text(m.get("type")).orElse("");
        if (!Set.of("id", "idnumber", "system").contains(type)) {
            return fail("invalidvalue", "categorytype.type must be id, idnumber or system");
        }
        if (!type.equals("system") && text(m.get("value")).orElse("").isBlank()) {
            return fail("missingvalue", "categorytype.value is required for type " + type);
        }
        if (type.equals("id") && positiveId(m.get("value")).isEmpty()) {
            return fail("invalidvalue", "categorytype.value must be a category id");
        }
        if (m.keySet().stream().anyMatch(k -> !Set.of("type", "value").contains(k))) {
            return fail("unknownkey", "categorytype has keys other than type and value");
        }
        Optional<String> name = text(c.get("name"));
        if (name.isEmpty() || name.get().isBlank()) {
            return fail("missingvalue", "name is required");
        }
        if (name.get().codePointCount(0, name.get().length()) > 254) {
            return fail("toolong", "name is longer than 254 characters");
        }
        Optional<String> idnumber = text(c.get("idnumber"));
        if (idnumber.isEmpty()) {
            return fail("missingvalue", "idnumber is required");
        }
        if (idnumber.get().length() > 100) {
            return fail("toolong", "idnumber is longer than 100 characters");
        }
        if (c.get("visible") != null && !isBool(c.get("visible"))) {
            return fail("invalidvalue", "visible must be a boolean (sent as 0/1)");
        }
        if (c.get("descriptionformat") != null && !isInt(c.get("descriptionformat"))) {
            return fail("invalidvalue", "descriptionformat must be an integer");
        }
        Object cf = c.get("customfields");
        if (cf != null) {
            if (!(cf instanceof Collection<?> list)) {
                return fail("invalidvalue", "customfields must be a list");
            }
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> f) || text(f.get("shortname")).isEmpty()
                        || f.keySet().stream().anyMatch(k -> !Set.of("shortname", "value").contains(k))) {
                    return fail("invalidvalue", "customfields entries are {shortname, value}");
                }
            }
        }
        return Optional.empty();
    }

    /** One entry of core_cohort_add_cohort_members: {cohorttype{type,value}, usertype{type,value}}. */
    public static Optional<Violation> checkMemberAdd(Map<String, ?> m) {
        Optional<Violation> v = unknownKeys(m, Set.of("cohorttype", "usertype"));
        if (v.isPresent()) {
            return v;
        }
        v = typeValue(m.get("cohorttype"), "cohorttype", Set.of("id", "idnumber"));
        return v.isPresent() ? v : typeValue(m.get("usertype"), "usertype", Set.of("id", "username"));
    }

    /** One entry of core_cohort_delete_cohort_members: {cohortid, userid}. */
    public static Optional<Violation> checkMemberDelete(Map<String, ?> m) {
        Optional<Violation> v = unknownKeys(m, Set.of("cohortid", "userid"));
        if (v.isPresent()) {
            return v;
        }
        if (positiveId(m.get("cohortid")).isEmpty() || positiveId(m.get("userid")).isEmpty()) {
            return fail("invalidvalue", "cohortid and userid must be positive integers");
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- courses and enrolments

    public static final Set<String> CATEGORY_CREATE_KEYS = Set.of("name", "parent", "idnumber", "description",
            "descriptionformat", "theme");
    public static final Set<String> COURSE_CREATE_KEYS = Set.of("fullname", "shortname", "categoryid", "idnumber",
            "summary", "summaryformat", "format", "showgrades", "newsitems", "startdate", "enddate", "numsections",
            "maxbytes", "showreports", "visible", "hiddensections", "groupmode", "groupmodeforce", "defaultgroupingid",
            "enablecompletion", "completionnotify", "lang", "forcetheme", "courseformatoptions", "customfields");
    private static final Set<String> COURSE_UPDATE_KEYS;
    private static final Set<String> COURSE_INTS = Set.of("categoryid", "startdate", "enddate", "visible",
            "summaryformat", "showgrades", "newsitems", "maxbytes", "showreports", "groupmode", "groupmodeforce",
            "defaultgroupingid", "enablecompletion", "completionnotify");

    static {
        java.util.HashSet<String> keys = new java.util.HashSet<>(COURSE_CREATE_KEYS);
        keys.add("id");
        COURSE_UPDATE_KEYS = Set.copyOf(keys);
    }

    /** One entry of core_course_create_categories. */
    public static Optional<Violation> checkNewCategory(Map<String, ?> c) {
        Optional<Violation> v = unknownKeys(c, CATEGORY_CREATE_KEYS);
        if (v.isPresent()) {
            return v;
        }
        String name = text(c.get("name")).orElse("");
        if (name.isBlank()) {
            return fail("categorynamerequired", "name is required");
        }
        if (name.codePointCount(0, name.length()) > 255) {
            return fail("categorytoolong", "name is longer than 255 characters");
        }
        if (text(c.get("idnumber")).orElse("").length() > 100) {
            return fail("idnumbertoolong", "idnumber is longer than 100 characters");
        }
        return Optional.empty();
    }

    /** One entry of core_course_create_courses. */
    public static Optional<Violation> checkNewCourse(Map<String, ?> c) {
        Optional<Violation> v = unknownKeys(c, COURSE_CREATE_KEYS);
        if (v.isPresent()) {
            return v;
        }
        for (String k : List.of("fullname", "shortname")) {
            if (text(c.get(k)).orElse("").isBlank()) {
                return fail("errorinvalidparam", k + " is required");
            }
        }
        if (positiveId(c.get("categoryid")).isEmpty()) {
            return fail("errorcatcontextnotvalid", "categoryid must be a category id");
        }
        return courseFields(c);
    }

    /** One entry of core_course_update_courses (only the keys present are checked). */
    public static Optional<Violation> checkCourseUpdate(Map<String, ?> c) {
        Optional<Violation> v = unknownKeys(c, COURSE_UPDATE_KEYS);
        if (v.isPresent()) {
            return v;
        }
        if (positiveId(c.get("id")).isEmpty()) {
            return fail("invalidvalue", "id must be a positive integer");
        }
        for (String k : List.of("fullname", "shortname")) {
            if (c.get(k) != null && text(c.get(k)).orElse("").isBlank()) {
                return fail("errorinvalidparam", k + " must not be blank");
            }
        }
        return courseFields(c);
    }

    /** The parameters of core_course_duplicate_course. */
    public static Optional<Violation> checkDuplicate(Map<String, ?> c) {
        Optional<Violation> v = unknownKeys(c, Set.of("courseid", "fullname", "shortname", "categoryid", "visible",
                "options"));
        if (v.isPresent()) {
            return v;
        }
        if (positiveId(c.get("courseid")).isEmpty() || positiveId(c.get("categoryid")).isEmpty()) {
            return fail("invalidvalue", "courseid and categoryid must be positive integers");
        }
        for (String k : List.of("fullname", "shortname")) {
            if (text(c.get(k)).orElse("").isBlank()) {
                return fail("errorinvalidparam", k + " is required");
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> courseFields(Map<String, ?> c) {
        for (Map.Entry<String, Integer> e : Map.of("fullname", 1333, "shortname", 255, "idnumber", 100).entrySet()) {
            String t = text(c.get(e.getKey())).orElse("");
            if (t.codePointCount(0, t.length()) > e.getValue()) {
                return fail("toolong", e.getKey() + " is longer than " + e.getValue() + " characters");
            }
        }
        for (String k : COURSE_INTS) {
            if (c.get(k) != null && !isInt(c.get(k))) {
                return fail("invalidvalue", k + " must be an integer");
            }
        }
        return Optional.empty();
    }

    /** One entry of enrol_manual_enrol_users: {roleid, userid, courseid, timestart?, timeend?, suspend?}. */
    public static Optional<Violation> checkEnrolment(Map<String, ?> e) {
        Optional<Violation> v = unknownKeys(e, Set.of("roleid", "userid", "courseid", "timestart", "timeend",
                "suspend"));
        if (v.isPresent()) {
            return v;
        }
        for (String k : List.of("roleid", "userid", "courseid")) {
            if (positiveId(e.get(k)).isEmpty()) {
                return fail("invalidvalue", k + " must be a positive integer");
            }
        }
        for (String k : List.of("timestart", "timeend", "suspend")) {
            if (e.get(k) != null && !isInt(e.get(k))) {
                return fail("invalidvalue", k + " must be an integer");
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> typeValue(Object o, String name, Set<String> types) {
        if (!(o instanceof Map<?, ?> m) || m.size() != 2 || !m.containsKey("type") || !m.containsKey("value")) {
            return fail("invalidvalue", name + " must be {type, value}");
        }
        String type = text(m.get("type")).orElse("");
        if (!types.contains(type)) {
            // Moodle would answer warning 1 for this entry
            return fail("1", name + ".type must be one of " + types);
        }
        String value = text(m.get("value")).orElse("");
        if (value.isBlank() || (type.equals("id") && positiveId(m.get("value")).isEmpty())) {
            return fail("invalidvalue", name + ".value is not a valid " + type);
        }
        if (type.equals("username") && checkUsername(value).isPresent()) {
            // Moodle cleans the value as PARAM_RAW, so it would answer "not exists": no such user can exist
            return fail("2", "user username=" + value + " not exists");
        }
        return Optional.empty();
    }

    private static Optional<Violation> typeValueList(Object o, String name) {
        if (o == null) {
            return Optional.empty();
        }
        if (!(o instanceof Collection<?> list)) {
            return fail("invalidvalue", name + " must be a list of {type, value}");
        }
        for (Object e : list) {
            if (!(e instanceof Map<?, ?> m) || text(m.get("type")).isEmpty()
                    || m.keySet().stream().anyMatch(k -> !Set.of("type", "value").contains(k))) {
                return fail("invalidvalue", name + " entries are {type, value}");
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- helpers

    private static Optional<Violation> unknownKeys(Map<String, ?> r, Set<String> known) {
        for (Map.Entry<String, ?> e : r.entrySet()) {
            String k = e.getKey();
            // a null value is not sent, so an unknown key holding null does no harm
            if (e.getValue() != null && !known.contains(k)) {
                return fail("unknownkey", "unknown key '" + k + "' (Moodle refuses the whole call)");
            }
        }
        return Optional.empty();
    }

    static Optional<String> text(Object o) {
        if (o == null || o instanceof Map || o instanceof Collection) {
            return Optional.empty();
        }
        try {
            return Optional.of(FormEncoder.scalar(o));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Optional<Long> positiveId(Object o) {
        if (!isInt(o)) {
            return Optional.empty();
        }
        long v = Long.parseLong(text(o).orElseThrow());
        return v > 0 ? Optional.of(v) : Optional.empty();
    }

    private static boolean isInt(Object o) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            return true;
        }
        return o instanceof CharSequence s && s.toString().matches("-?[0-9]{1,18}");
    }

    private static boolean isBool(Object o) {
        if (o instanceof Boolean) {
            return true;
        }
        String s = text(o).orElse("");
        return s.equals("0") || s.equals("1");
    }

    static boolean truthy(Object o) {
        return o instanceof Boolean b ? b : "1".equals(text(o).orElse(""));
    }

    private static Optional<Violation> fail(String code, String reason) {
        return Optional.of(new Violation(code, reason));
    }
}
