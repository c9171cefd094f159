package org.ypsync.moodle.emulator;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Collator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.ypsync.moodle.emulator.Desc.Single;
import org.ypsync.moodle.emulator.Records.CategoryRow;
import org.ypsync.moodle.emulator.Records.CohortRow;
import org.ypsync.moodle.emulator.Records.CourseRow;
import org.ypsync.moodle.emulator.Records.EnrolmentRow;
import org.ypsync.moodle.emulator.Records.GroupRow;
import org.ypsync.moodle.emulator.Records.UserRow;

import static org.ypsync.moodle.emulator.Desc.multiple;
import static org.ypsync.moodle.emulator.Desc.multipleDefaultEmpty;
import static org.ypsync.moodle.emulator.Desc.multipleOptional;
import static org.ypsync.moodle.emulator.Desc.optional;
import static org.ypsync.moodle.emulator.Desc.single;
import static org.ypsync.moodle.emulator.Desc.value;
import static org.ypsync.moodle.emulator.Desc.withDefault;

/**
 * The emulated Moodle: web-service functions over {@link State}, following Moodle 4.4's externallib code and the
 * recorded transcripts. Callers hold the site lock.
 */
final class MoodleSite {
    static final long GUEST_ID = 1;
    static final long ADMIN_ID = 2;
    static final long SITE_COURSE_ID = 1;
    static final Map<Long, String> ROLES = Map.of(1L, "manager", 3L, "editingteacher", 4L, "teacher", 5L,
            "student");
    /** Roles the admin may assign in a course context (coursecreator, guest, user, frontpage are not). */
    static final Set<Long> ASSIGNABLE_IN_COURSE = Set.of(1L, 3L, 4L, 5L);

    record Fn(String name, Single params, Function<Map<String, Object>, Object> handler, boolean isVoid,
              boolean write) {
    }

    final State db = new State();
    final SiteConfig cfg;
    final Map<String, Fn> functions = new LinkedHashMap<>();
    /** Functions that exist in Moodle but are not emulated: calling one outside the service is accessexception. */
    static final Set<String> OTHER_KNOWN_FUNCTIONS = Set.of("core_course_delete_courses",
            "core_course_delete_categories", "core_course_update_categories", "core_course_get_courses",
            "core_course_search_courses", "core_enrol_get_users_courses", "core_role_assign_roles",
            "core_role_unassign_roles", "core_group_delete_groups", "core_group_update_groups",
            "core_group_get_groups", "enrol_meta_add_instances", "enrol_meta_delete_instances",
            "core_user_get_course_user_profiles", "core_user_update_picture", "enrol_self_enrol_user",
            "core_enrol_get_course_enrolment_methods", "core_cohort_get_cohort_custom_fields");
    volatile String wwwroot;
    final long themeRev;
    final String privateAccessKey;

    MoodleSite(SiteConfig cfg, String wwwroot, String privateAccessKey) {
        this.cfg = cfg;
        this.wwwroot = wwwroot;
        this.themeRev = cfg.now();
        this.privateAccessKey = privateAccessKey;
        install();
        register();
    }

    // ------------------------------------------------------------------ fresh install

    private void install() {
        long now = cfg.now();
        db.contexts.put(1L, new State.Ctx(1, State.CONTEXT_SYSTEM, 0));
        db.contexts.put(2L, new State.Ctx(2, State.CONTEXT_COURSE, SITE_COURSE_ID));
        db.contexts.put(3L, new State.Ctx(3, State.CONTEXT_COURSECAT, 1));
        db.contexts.put(4L, new State.Ctx(4, State.CONTEXT_USER, ADMIN_ID));
        // Ten contexts exist on the recorded site before the first WS write (blocks and the like): context ids
        // of new users, categories and courses line up with the transcripts (first course context is 23).
        db.contextSeq = 11;
        UserRow guest = new UserRow();
        guest.id = GUEST_ID;
        guest.username = "guest";
        guest.firstname = "Guest user";
        guest.lastname = " ";
        guest.email = "root@localhost";
        guest.description = "This user is a special user that allows read-only access to some courses.";
        guest.hasPassword = true;
        guest.timecreated = now;
        guest.timemodified = now;
        db.putUser(guest);
        UserRow admin = new UserRow();
        admin.id = ADMIN_ID;
        admin.contextId = 4;
        admin.username = "admin";
        admin.firstname = "Admin";
        admin.lastname = "User";
        admin.email = "admin@example.invalid";
        admin.hasPassword = true;
        admin.timecreated = now;
        admin.timemodified = now;
        db.putUser(admin);
        db.userSeq = 3;
        CategoryRow misc = new CategoryRow();
        misc.id = 1;
        misc.contextId = 3;
        misc.name = "Category 1";
        misc.depth = 1;
        misc.path = "/1";
        misc.timemodified = now;
        db.putCategory(misc);
        db.categorySeq = 2;
        CourseRow site = new CourseRow();
        site.id = SITE_COURSE_ID;
        site.contextId = 2;
        site.category = 0;
        site.fullname = cfg.siteName;
        site.shortname = "moodle";
        site.format = "site";
        site.timecreated = now;
        site.timemodified = now;
        site.hasManualInstance = false;
        site.manualEnrolEnabled = false;
        db.putCourse(site);
        db.courseSeq = 2;
    }

    // ------------------------------------------------------------------ registry

    private void fn(String name, Single params, Function<Map<String, Object>, Object> h, boolean isVoid,
                    boolean write) {
        functions.put(name, new Fn(name, params, h, isVoid, write));
    }

    private void register() {
        fn("core_webservice_get_site_info", single()
                .key("serviceshortnames", multipleDefaultEmpty(value(Param.ALPHANUMEXT))).build(),
                this::siteInfo, false, false);
        fn("core_user_create_users", single().key("users", multiple(createUserDesc())).build(),
                this::createUsers, false, true);
        fn("core_user_update_users", single().key("users", multiple(updateUserDesc())).build(),
                this::updateUsers, false, true);
        fn("core_user_get_users_by_field", single().key("field", value(Param.ALPHA))
                .key("values", multiple(value(Param.RAW))).build(), this::getUsersByField, false, false);
        fn("core_user_get_users", single().key("criteria", multiple(single()
                .key("key", value(Param.ALPHA)).key("value", value(Param.RAW)).build())).build(),
                this::getUsers, false, false);
        fn("core_user_delete_users", single().key("userids", multiple(value(Param.INT))).build(),
                this::deleteUsers, true, true);
        fn("core_cohort_create_cohorts", single().key("cohorts", multiple(single()
                .key("categorytype", categoryTypeDesc())
                .key("name", value(Param.RAW))
                .key("idnumber", value(Param.RAW))
                .key("description", optional(Param.RAW))
                .key("descriptionformat", withDefault(Param.INT, 1L))
                .key("visible", optional(Param.BOOL))
                .key("theme", optional(Param.THEME))
                .key("customfields", multipleOptional(cohortCustomFieldDesc()))
                .build())).build(), this::createCohorts, false, true);
        fn("core_cohort_update_cohorts", single().key("cohorts", multiple(single()
                .key("id", value(Param.INT))
                .key("categorytype", categoryTypeDesc())
                .key("name", value(Param.RAW))
                .key("idnumber", value(Param.RAW))
                .key("description", optional(Param.RAW))
                .key("descriptionformat", optional(Param.INT))
                .key("visible", optional(Param.BOOL))
                .key("theme", optional(Param.THEME))
                .key("customfields", multipleOptional(cohortCustomFieldDesc()))
                .build())).build(), this::updateCohorts, true, true);
        fn("core_cohort_search_cohorts", single()
                .key("query", value(Param.RAW))
                .key("context", single().key("contextid", withDefault(Param.INT, 0L))
                        .key("contextlevel", withDefault(Param.ALPHA, ""))
                        .key("instanceid", withDefault(Param.INT, 0L)).build())
                .key("includes", withDefault(Param.ALPHA, "parents"))
                .key("limitfrom", withDefault(Param.INT, 0L))
                .key("limitnum", withDefault(Param.INT, 25L)).build(), this::searchCohorts, false, false);
        fn("core_cohort_get_cohorts", single().key("cohortids", multipleDefaultEmpty(value(Param.INT))).build(),
                this::getCohorts, false, false);
        fn("core_cohort_add_cohort_members", single().key("members", multiple(single()
                .key("cohorttype", single().key("type", value(Param.ALPHANUMEXT)).key("value", value(Param.RAW))
                        .build())
                .key("usertype", single().key("type", value(Param.ALPHANUMEXT)).key("value", value(Param.RAW))
                        .build())
                .build())).build(), this::addCohortMembers, false, true);
        fn("core_cohort_delete_cohort_members", single().key("members", multiple(single()
                .key("cohortid", value(Param.INT)).key("userid", value(Param.INT)).build())).build(),
                this::deleteCohortMembers, true, true);
        fn("core_cohort_get_cohort_members", single().key("cohortids", multiple(value(Param.INT))).build(),
                this::getCohortMembers, false, false);
        fn("core_cohort_delete_cohorts", single().key("cohortids", multiple(value(Param.INT))).build(),
                this::deleteCohorts, true, true);
        fn("core_course_create_courses", single().key("courses", multiple(courseDesc(true))).build(),
                this::createCourses, false, true);
        fn("core_course_get_courses_by_field", single().key("field", withDefault(Param.ALPHA, ""))
                .key("value", withDefault(Param.RAW, "")).build(), this::getCoursesByField, false, false);
        fn("core_course_get_categories", single()
                .key("criteria", multipleDefaultEmpty(single().key("key", value(Param.ALPHA))
                        .key("value", value(Param.RAW)).build()))
                .key("addsubcategories", withDefault(Param.BOOL, true)).build(), this::getCategories, false,
                false);
        fn("core_course_create_categories", single().key("categories", multiple(single()
                .key("name", value(Param.TEXT))
                .key("parent", withDefault(Param.INT, 0L))
                .key("idnumber", optional(Param.RAW))
                .key("description", optional(Param.RAW))
                .key("descriptionformat", withDefault(Param.INT, 1L))
                .key("theme", optional(Param.THEME)).build())).build(), this::createCategories, false, true);
        fn("core_course_update_courses", single().key("courses", multiple(courseDesc(false))).build(),
                this::updateCourses, false, true);
        fn("enrol_manual_enrol_users", single().key("enrolments", multiple(single()
                .key("roleid", value(Param.INT)).key("userid", value(Param.INT)).key("courseid", value(Param.INT))
                .key("timestart", optional(Param.INT)).key("timeend", optional(Param.INT))
                .key("suspend", optional(Param.INT)).build())).build(), this::enrolUsers, true, true);
        fn("enrol_manual_unenrol_users", single().key("enrolments", multiple(single()
                .key("userid", value(Param.INT)).key("courseid", value(Param.INT))
                .key("roleid", optional(Param.INT)).build())).build(), this::unenrolUsers, true, true);
        fn("core_enrol_get_enrolled_users", single().key("courseid", value(Param.INT))
                .key("options", multipleDefaultEmpty(single().key("name", value(Param.ALPHANUMEXT))
                        .key("value", value(Param.RAW)).build())).build(), this::getEnrolledUsers, false, false);
        fn("core_group_create_groups", single().key("groups", multiple(single()
                .key("courseid", value(Param.INT))
                .key("name", value(Param.TEXT))
                .key("description", value(Param.RAW))
                .key("descriptionformat", withDefault(Param.INT, 1L))
                .key("enrolmentkey", optional(Param.RAW))
                .key("idnumber", optional(Param.RAW))
                .key("visibility", withDefault(Param.INT, 0L))
                .key("participation", withDefault(Param.BOOL, true))
                .key("customfields", multipleOptional(cohortCustomFieldDesc())).build())).build(),
                this::createGroups, false, true);
        fn("core_group_add_group_members", single().key("members", multiple(single()
                .key("groupid", value(Param.INT)).key("userid", value(Param.INT)).build())).build(),
                this::addGroupMembers, true, true);
        fn("core_group_delete_group_members", single().key("members", multiple(single()
                .key("groupid", value(Param.INT)).key("userid", value(Param.INT)).build())).build(),
                this::deleteGroupMembers, true, true);
        fn("core_group_get_course_groups", single().key("courseid", value(Param.INT)).build(),
                this::getCourseGroups, false, false);
        fn("core_group_get_group_members", single().key("groupids", multiple(value(Param.INT))).build(),
                this::getGroupMembers, false, false);
    }

    boolean functionExists(String name) {
        return functions.containsKey(name) || OTHER_KNOWN_FUNCTIONS.contains(name);
    }

    private static Single categoryTypeDesc() {
        return single().key("type", value(Param.TEXT)).key("value", value(Param.RAW)).build();
    }

    private static Single cohortCustomFieldDesc() {
        return single().key("shortname", value(Param.ALPHANUMEXT)).key("value", value(Param.RAW)).build();
    }

    private static Single typeValueDesc() {
        return single().key("type", value(Param.ALPHANUMEXT)).key("value", value(Param.RAW)).build();
    }

    private Single createUserDesc() {
        return single()
                .key("createpassword", optional(Param.BOOL))
                .key("username", value(Param.USERNAME))
                .key("auth", withDefault(Param.AUTH, "manual"))
                .key("password", optional(Param.RAW))
                .key("firstname", value(Param.NOTAGS))
                .key("lastname", value(Param.NOTAGS))
                .key("email", value(Param.RAW_TRIMMED))
                .key("maildisplay", optional(Param.INT))
                .key("city", optional(Param.NOTAGS))
                .key("country", optional(Param.ALPHA))
                .key("timezone", optional(Param.TIMEZONE))
                .key("description", optional(Param.RAW))
                .key("firstnamephonetic", optional(Param.NOTAGS))
                .key("lastnamephonetic", optional(Param.NOTAGS))
                .key("middlename", optional(Param.NOTAGS))
                .key("alternatename", optional(Param.NOTAGS))
                .key("interests", optional(Param.TEXT))
                .key("idnumber", withDefault(Param.RAW, ""))
                .key("institution", optional(Param.TEXT))
                .key("department", optional(Param.TEXT))
                .key("phone1", optional(Param.NOTAGS))
                .key("phone2", optional(Param.NOTAGS))
                .key("address", optional(Param.TEXT))
                .key("lang", withDefault(Param.LANG, "en"))
                .key("calendartype", withDefault(Param.PLUGIN, "gregorian"))
                .key("theme", optional(Param.PLUGIN))
                .key("mailformat", optional(Param.INT))
                .key("customfields", multipleOptional(typeValueDesc()))
                .key("preferences", multipleOptional(single().key("type", value(Param.RAW))
                        .key("value", value(Param.RAW)).build()))
                .build();
    }

    private Single updateUserDesc() {
        return single()
                .key("id", value(Param.INT))
                .key("username", optional(Param.USERNAME))
                .key("auth", optional(Param.AUTH))
                .key("suspended", optional(Param.BOOL))
                .key("password", optional(Param.RAW))
                .key("firstname", optional(Param.NOTAGS))
                .key("lastname", optional(Param.NOTAGS))
                .key("email", optional(Param.RAW_TRIMMED))
                .key("maildisplay", optional(Param.INT))
                .key("city", optional(Param.NOTAGS))
                .key("country", optional(Param.ALPHA))
                .key("timezone", optional(Param.TIMEZONE))
                .key("description", optional(Param.RAW))
                .key("userpicture", optional(Param.INT))
                .key("firstnamephonetic", optional(Param.NOTAGS))
                .key("lastnamephonetic", optional(Param.NOTAGS))
                .key("middlename", optional(Param.NOTAGS))
                .key("alternatename", optional(Param.NOTAGS))
                .key("interests", optional(Param.TEXT))
                .key("idnumber", optional(Param.RAW))
                .key("institution", optional(Param.TEXT))
                .key("department", optional(Param.TEXT))
                .key("phone1", optional(Param.NOTAGS))
                .key("phone2", optional(Param.NOTAGS))
                .key("address", optional(Param.TEXT))
                .key("lang", optional(Param.LANG))
                .key("calendartype", optional(Param.PLUGIN))
                .key("theme", optional(Param.PLUGIN))
                .key("mailformat", optional(Param.INT))
                .key("customfields", multipleOptional(typeValueDesc()))
                .key("preferences", multipleOptional(single().key("type", value(Param.RAW))
                        .key("value", value(Param.RAW)).build()))
                .build();
    }

    private static Single courseDesc(boolean create) {
        Desc.Builder b = single();
        if (create) {
            b.key("fullname", value(Param.TEXT)).key("shortname", value(Param.TEXT))
                    .key("categoryid", value(Param.INT));
        } else {
            b.key("id", value(Param.INT)).key("fullname", optional(Param.TEXT)).key("shortname", optional(Param.TEXT))
                    .key("categoryid", optional(Param.INT));
        }
        b.key("idnumber", optional(Param.RAW))
                .key("summary", optional(Param.RAW))
                .key("summaryformat", create ? withDefault(Param.INT, 1L) : optional(Param.INT))
                .key("format", create ? withDefault(Param.PLUGIN, "topics") : optional(Param.PLUGIN))
                .key("showgrades", create ? withDefault(Param.INT, 1L) : optional(Param.INT))
                .key("newsitems", create ? withDefault(Param.INT, 5L) : optional(Param.INT))
                .key("startdate", optional(Param.INT))
                .key("enddate", optional(Param.INT))
                .key("numsections", optional(Param.INT))
                .key("maxbytes", create ? withDefault(Param.INT, 0L) : optional(Param.INT))
                .key("showreports", create ? withDefault(Param.INT, 0L) : optional(Param.INT))
                .key("visible", optional(Param.INT))
                .key("hiddensections", optional(Param.INT))
                .key("groupmode", create ? withDefault(Param.INT, 0L) : optional(Param.INT))
                .key("groupmodeforce", create ? withDefault(Param.INT, 0L) : optional(Param.INT))
                .key("defaultgroupingid", create ? withDefault(Param.INT, 0L) : optional(Param.INT))
                .key("enablecompletion", optional(Param.INT))
                .key("completionnotify", optional(Param.INT))
                .key("lang", optional(Param.SAFEDIR))
                .key("forcetheme", optional(Param.PLUGIN))
                .key("courseformatoptions", multipleOptional(single().key("name", value(Param.ALPHANUMEXT))
                        .key("value", value(Param.RAW)).build()))
                .key("customfields", multipleOptional(cohortCustomFieldDesc()));
        return b.build();
    }

    // ------------------------------------------------------------------ helpers

    static String s(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? null : v.toString();
    }

    static long l(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).longValue();
    }

    static boolean b(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof Boolean bb && bb;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? List.of() : (List<Map<String, Object>>) (List<?>) v;
    }

    /** PHP empty() on a string. */
    static boolean empty(String v) {
        return v == null || v.isEmpty() || v.equals("0");
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static final Collator COLLATOR = Collator.getInstance(Locale.ENGLISH);

    static int collate(String a, String b) {
        return COLLATOR.compare(a, b);
    }

    static String md5(String s) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            return String.format("%032x", new BigInteger(1, d));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PostgreSQL varchar(n) limits: a longer value makes the INSERT/UPDATE fail. */
    static void checkLength(String table, String column, String v, int max) {
        if (v != null && v.codePointCount(0, v.length()) > max) {
            throw WsException.dmlWrite("value too long for type character varying(" + max + "): " + table + "."
                    + column);
        }
    }

    static void checkUserLengths(UserRow u) {
        checkLength("user", "username", u.username, 100);
        checkLength("user", "auth", u.auth, 20);
        checkLength("user", "firstname", u.firstname, 100);
        checkLength("user", "lastname", u.lastname, 100);
        checkLength("user", "email", u.email, 100);
        checkLength("user", "idnumber", u.idnumber, 255);
        checkLength("user", "lang", u.lang, 30);
        checkLength("user", "theme", u.theme, 50);
        checkLength("user", "timezone", u.timezone, 100);
        checkLength("user", "city", u.city, 120);
        checkLength("user", "country", u.country, 2);
        checkLength("user", "institution", u.institution, 255);
        checkLength("user", "department", u.department, 255);
        checkLength("user", "phone1", u.phone1, 20);
        checkLength("user", "phone2", u.phone2, 20);
        checkLength("user", "address", u.address, 255);
        checkLength("user", "firstnamephonetic", u.firstnamephonetic, 255);
        checkLength("user", "lastnamephonetic", u.lastnamephonetic, 255);
        checkLength("user", "middlename", u.middlename, 255);
        checkLength("user", "alternatename", u.alternatename, 255);
    }

    /** check_password_policy with the default policy; the HTML text is what Moodle throws as the errorcode. */
    String passwordPolicyErrors(String password) {
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

    void checkPassword(String password) {
        String err = passwordPolicyErrors(password);
        if (!err.isEmpty()) {
            throw WsException.moodleNoString("error", err);
        }
    }

    String imageUrl(String size) {
        return wwwroot + "/theme/image.php/boost/core/" + themeRev + "/u/" + size;
    }

    // ------------------------------------------------------------------ site info

    private Object siteInfo(Map<String, Object> p) {
        UserRow admin = db.users.get(ADMIN_ID);
        List<Object> fns = new ArrayList<>();
        for (String f : cfg.serviceFunctions) {
            fns.add(map("name", f, "version", cfg.version));
        }
        List<Object> adv = new ArrayList<>();
        String[][] features = {{"usecomments", "1"}, {"usetags", "1"}, {"enablenotes", "1"}, {"messaging", "1"},
                {"enableblogs", "1"}, {"enablecompletion", "1"}, {"enablebadges", "1"}, {"messagingallusers", "0"},
                {"enablecustomreports", "1"}, {"enableglobalsearch", "0"}, {"mnet_dispatcher_mode", "0"},
                {"enablecompetencies", "1"}};
        for (String[] f : features) {
            adv.add(map("name", f[0], "value", Long.parseLong(f[1])));
        }
        return map("sitename", cfg.siteName, "username", admin.username, "firstname", admin.firstname,
                "lastname", admin.lastname, "fullname", admin.firstname + " " + admin.lastname, "lang", admin.lang,
                "userid", admin.id, "siteurl", wwwroot, "userpictureurl", imageUrl("f1"), "functions", fns,
                "downloadfiles", 0L, "uploadfiles", 0L, "release", cfg.release, "version", cfg.version,
                "mobilecssurl", "", "advancedfeatures", adv, "usercanmanageownfiles", true, "userquota", 0L,
                "usermaxuploadfilesize", -1L, "userhomepage", 1L, "userprivateaccesskey", privateAccessKey,
                "siteid", SITE_COURSE_ID, "sitecalendartype", "gregorian", "usercalendartype", "gregorian",
                "userissiteadmin", true, "theme", "boost", "limitconcurrentlogins", 0L, "policyagreed", 0L);
    }

    // ------------------------------------------------------------------ users

    /** user_get_user_details as the admin sees it through get_users_by_field / get_users. */
    Map<String, Object> userDetails(UserRow u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id);
        m.put("username", u.username);
        m.put("firstname", u.firstname);
        m.put("lastname", u.lastname);
        m.put("fullname", u.firstname + " " + u.lastname);
        m.put("email", u.email);
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
        m.put("profileimageurlsmall", imageUrl("f2"));
        m.put("profileimageurl", imageUrl("f1"));
        List<Object> cf = customFieldsOut(u);
        if (!cf.isEmpty()) m.put("customfields", cf);
        return m;
    }

    private List<Object> customFieldsOut(UserRow u) {
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
            checkPassword(password);
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
        checkUserLengths(row);
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
            checkPassword(password);
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
        checkUserLengths(row);
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
        for (Long groupId : new ArrayList<>(db.groupMembers.keySet())) {
            db.removeGroupMember(groupId, u.id);
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

    // ------------------------------------------------------------------ cohorts

    private long resolveCohortContext(Map<String, Object> categorytype, boolean create) {
        String type = s(categorytype, "type");
        String value = s(categorytype, "value");
        if (!type.equals("idnumber") && !type.equals("id") && !type.equals("system")) {
            throw WsException.invalidParameter("category type must be id, idnumber or system:" + type);
        }
        if (type.equals("system")) {
            return 1;
        }
        CategoryRow found = null;
        for (CategoryRow c : db.categories.values()) {
            boolean match = type.equals("id") ? String.valueOf(c.id).equals(Param.phpTrim(value))
                    : c.idnumber.equals(value);
            if (match) {
                found = c;
                break;
            }
        }
        if (found == null) {
            throw WsException.invalidParameter("category not exists: category " + type + " = " + value);
        }
        return found.contextId;
    }

    Map<String, Object> cohortOut(CohortRow c, boolean withCustomFields) {
        Map<String, Object> m = map("id", c.id, "name", c.name, "idnumber", c.idnumber, "description",
                c.description, "descriptionformat", c.descriptionformat, "visible", c.visible, "theme", c.theme);
        if (withCustomFields) {
            List<Object> cf = new ArrayList<>();
            for (Map.Entry<String, String> f : cfg.cohortFields.entrySet()) {
                String v = c.customfields.getOrDefault(f.getKey(), "");
                cf.add(map("name", f.getValue(), "shortname", f.getKey(), "type", "text", "valueraw", v, "value", v));
            }
            m.put("customfields", cf);
        }
        return m;
    }

    /** Cohort custom fields (4.2+): only fields that exist are saved, others are ignored. */
    private void applyCohortFields(CohortRow row, List<Map<String, Object>> fields) {
        for (Map<String, Object> f : fields) {
            if (cfg.cohortFields.containsKey(s(f, "shortname"))) {
                row.customfields.put(s(f, "shortname"), s(f, "value"));
            }
        }
    }

    /** Cohorts in heap order, as an unordered PostgreSQL read returns them. */
    List<CohortRow> cohortsInHeapOrder() {
        List<CohortRow> all = new ArrayList<>(db.cohorts.values());
        all.sort(Comparator.comparingLong(c -> c.heap));
        return all;
    }

    private Object createCohorts(Map<String, Object> p) {
        return db.tx(() -> {
            List<Object> out = new ArrayList<>();
            for (Map<String, Object> c : list(p, "cohorts")) {
                @SuppressWarnings("unchecked")
                long contextId = resolveCohortContext((Map<String, Object>) c.get("categorytype"), true);
                String idnumber = s(c, "idnumber");
                for (CohortRow other : db.cohorts.values()) {
                    if (other.idnumber.equals(idnumber)) {
                        throw WsException.invalidParameter("record already exists: idnumber=" + idnumber);
                    }
                }
                CohortRow row = new CohortRow();
                row.contextId = contextId;
                row.name = s(c, "name");
                row.idnumber = idnumber;
                if (c.containsKey("description")) row.description = s(c, "description");
                row.descriptionformat = l(c, "descriptionformat");
                if (c.containsKey("visible")) row.visible = b(c, "visible");
                if (c.containsKey("theme")) row.theme = s(c, "theme");
                applyCohortFields(row, list(c, "customfields"));
                checkLength("cohort", "name", row.name, 254);
                checkLength("cohort", "idnumber", row.idnumber, 100);
                long now = cfg.now();
                row.timecreated = now;
                row.timemodified = now;
                row.id = db.cohortSeq++;
                row.heap = db.heapSeq++;
                db.putCohort(row);
                db.count("created");
                out.add(cohortOut(row, false));
            }
            return out;
        });
    }

    private Object updateCohorts(Map<String, Object> p) {
        db.tx(() -> {
            for (Map<String, Object> c : list(p, "cohorts")) {
                if (Param.phpTrim(s(c, "name")).isEmpty()) {
                    throw WsException.invalidParameter("Invalid cohort name");
                }
                CohortRow old = db.cohorts.get(l(c, "id"));
                if (old == null) {
                    throw WsException.missingRecord("cohort");
                }
                @SuppressWarnings("unchecked")
                long contextId = resolveCohortContext((Map<String, Object>) c.get("categorytype"), false);
                CohortRow row = old.copy();
                row.contextId = contextId;
                row.name = s(c, "name");
                row.idnumber = s(c, "idnumber");
                if (c.containsKey("description")) row.description = s(c, "description");
                if (c.containsKey("descriptionformat")) row.descriptionformat = l(c, "descriptionformat");
                if (c.containsKey("visible")) row.visible = b(c, "visible");
                if (c.containsKey("theme")) row.theme = s(c, "theme");
                applyCohortFields(row, list(c, "customfields"));
                checkLength("cohort", "name", row.name, 254);
                checkLength("cohort", "idnumber", row.idnumber, 100);
                row.timemodified = cfg.now();
                row.heap = db.heapSeq++;
                db.putCohort(row);
                db.count("updated");
            }
        });
        return null;
    }

    private Object getCohorts(Map<String, Object> p) {
        Set<Long> ids = new HashSet<>();
        for (Object o : (List<?>) p.get("cohortids")) {
            ids.add(((Number) o).longValue());
        }
        List<Object> out = new ArrayList<>();
        for (CohortRow c : cohortsInHeapOrder()) {
            if (ids.isEmpty() || ids.contains(c.id)) {
                out.add(cohortOut(c, true));
            }
        }
        return out;
    }

    private State.Ctx contextFromParams(Map<String, Object> ctx) {
        long contextid = l(ctx, "contextid");
        String level = s(ctx, "contextlevel");
        long instanceid = l(ctx, "instanceid");
        if (contextid > 0) {
            State.Ctx c = db.contexts.get(contextid);
            if (c == null) throw WsException.missingRecord("context");
            return c;
        }
        if (!level.isEmpty()) {
            int lv = switch (level) {
                case "system" -> State.CONTEXT_SYSTEM;
                case "user" -> State.CONTEXT_USER;
                case "coursecat" -> State.CONTEXT_COURSECAT;
                case "course" -> State.CONTEXT_COURSE;
                default -> throw WsException.invalidParameter("Invalid context level = " + level);
            };
            if (lv == State.CONTEXT_SYSTEM) return db.contexts.get(1L);
            State.Ctx c = db.contextOf(lv, instanceid);
            if (c == null) {
                throw WsException.missingRecord(switch (lv) {
                    case State.CONTEXT_USER -> "user";
                    case State.CONTEXT_COURSECAT -> "course_categories";
                    default -> "course";
                });
            }
            return c;
        }
        throw WsException.invalidParameter(
                "Missing parameters, please provide either context level with instance id or contextid");
    }

    private List<CohortRow> searchIn(Set<Long> contextIds, String query) {
        String q = query.toLowerCase(Locale.ROOT);
        List<CohortRow> out = new ArrayList<>();
        for (CohortRow c : db.cohorts.values()) {
            if (contextIds != null && !contextIds.contains(c.contextId)) continue;
            if (q.isEmpty() || c.name.toLowerCase(Locale.ROOT).contains(q)
                    || c.idnumber.toLowerCase(Locale.ROOT).contains(q)
                    || c.description.toLowerCase(Locale.ROOT).contains(q)) {
                out.add(c);
            }
        }
        out.sort((a, b2) -> {
            int r = collate(a.name, b2.name);
            return r != 0 ? r : Long.compare(a.id, b2.id);
        });
        return out;
    }

    private static <T> List<T> page(List<T> all, long offset, long limit) {
        if (offset >= all.size()) return List.of();
        long end = limit > 0 ? Math.min(all.size(), offset + limit) : all.size();
        return all.subList((int) offset, (int) end);
    }

    private Object searchCohorts(Map<String, Object> p) {
        @SuppressWarnings("unchecked")
        State.Ctx ctx = contextFromParams((Map<String, Object>) p.get("context"));
        String query = s(p, "query");
        String includes = s(p, "includes");
        long limitfrom = l(p, "limitfrom");
        long limitnum = l(p, "limitnum");
        // The library takes limitfrom as a PAGE number: offset = limitfrom * limitnum.
        long offset = limitfrom * limitnum;
        List<CohortRow> results = switch (includes) {
            case "self" -> page(searchIn(Set.of(ctx.id()), query), offset, limitnum);
            case "parents" -> {
                List<CohortRow> r = new ArrayList<>(page(searchIn(Set.of(ctx.id()), query), offset, limitnum));
                if (ctx.level() != State.CONTEXT_SYSTEM) {
                    r.addAll(page(searchIn(parentContexts(ctx), query), limitfrom, limitnum));
                }
                yield r;
            }
            case "all" -> page(searchIn(null, query), offset, limitnum);
            default -> throw WsException.coding("Invalid parameter value for 'includes'.");
        };
        List<Object> out = new ArrayList<>();
        for (CohortRow c : results) {
            out.add(cohortOut(c, true));
        }
        return map("cohorts", out);
    }

    private Set<Long> parentContexts(State.Ctx ctx) {
        Set<Long> ids = new LinkedHashSet<>();
        ids.add(1L);
        if (ctx.level() == State.CONTEXT_COURSECAT) {
            CategoryRow cat = db.categories.get(ctx.instanceId());
            if (cat != null) {
                for (String part : cat.path.split("/")) {
                    if (part.isEmpty()) continue;
                    CategoryRow anc = db.categories.get(Long.parseLong(part));
                    if (anc != null && anc.id != cat.id) ids.add(anc.contextId);
                }
            }
        } else if (ctx.level() == State.CONTEXT_COURSE) {
            CourseRow course = db.courses.get(ctx.instanceId());
            CategoryRow cat = course == null ? null : db.categories.get(course.category);
            if (cat != null) {
                for (String part : cat.path.split("/")) {
                    if (part.isEmpty()) continue;
                    CategoryRow anc = db.categories.get(Long.parseLong(part));
                    if (anc != null) ids.add(anc.contextId);
                }
            }
        }
        return ids;
    }

    /** A DB lookup by id with a non-integer value fails in PostgreSQL (invalid input syntax). */
    private static Long dbInt(String v) {
        String t = v.strip();
        if (!t.matches("[+-]?[0-9]{1,18}")) return null;
        return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
    }

    private Object addCohortMembers(Map<String, Object> p) {
        return db.tx(() -> {
            List<Object> warnings = new ArrayList<>();
            for (Map<String, Object> m : list(p, "members")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> ct = (Map<String, Object>) m.get("cohorttype");
                @SuppressWarnings("unchecked")
                Map<String, Object> ut = (Map<String, Object>) m.get("usertype");
                String ctype = s(ct, "type");
                String cvalue = s(ct, "value");
                String utype = s(ut, "type");
                String uvalue = s(ut, "value");
                if (!ctype.equals("id") && !ctype.equals("idnumber")) {
                    warnings.add(map("warningcode", "1", "message", "invalid parameter: cohortype=" + ctype));
                    continue;
                }
                if (!utype.equals("id") && !utype.equals("username")) {
                    warnings.add(map("warningcode", "1", "message", "invalid parameter: usertype=" + utype));
                    continue;
                }
                CohortRow cohort = null;
                if (ctype.equals("id")) {
                    Long id = dbInt(cvalue);
                    if (id == null) throw new WsException("moodle_exception", "Error", "cohort/Error", null);
                    cohort = db.cohorts.get(id);
                } else {
                    for (CohortRow c : cohortsInHeapOrder()) {
                        if (c.idnumber.equals(cvalue)) {
                            cohort = c;
                            break;
                        }
                    }
                }
                if (cohort == null) {
                    warnings.add(map("warningcode", "2", "message",
                            "cohort " + ctype + "=" + cvalue + " not exists"));
                    continue;
                }
                UserRow user;
                if (utype.equals("id")) {
                    Long id = dbInt(uvalue);
                    if (id == null) throw new WsException("moodle_exception", "Error", "cohort/Error", null);
                    user = db.users.get(id);
                } else {
                    user = db.userByUsername(uvalue);
                }
                if (user == null || user.deleted) {
                    warnings.add(map("warningcode", "2", "message", "user " + utype + "=" + uvalue + " not exists"));
                    continue;
                }
                if (db.isMember(cohort.id, user.id)) {
                    warnings.add(map("warningcode", "3", "message", "record already exists: cohort(" + ctype + "="
                            + cvalue + " " + utype + "=" + uvalue + ")"));
                    continue;
                }
                db.addMember(cohort.id, user.id, cfg.now());
                db.count("added");
            }
            return map("warnings", warnings);
        });
    }

    private Object deleteCohortMembers(Map<String, Object> p) {
        db.tx(() -> {
            for (Map<String, Object> m : list(p, "members")) {
                CohortRow c = db.cohorts.get(l(m, "cohortid"));
                if (c == null) throw WsException.missingRecord("cohort");
                UserRow u = db.users.get(l(m, "userid"));
                if (u == null || u.deleted) throw WsException.missingRecord("user");
                if (db.removeMember(c.id, u.id)) {
                    db.count("removed");
                }
            }
        });
        return null;
    }

    List<Long> memberIdsSorted(long cohortId) {
        Map<Long, Long> m = db.members.getOrDefault(cohortId, new LinkedHashMap<>());
        List<UserRow> us = new ArrayList<>();
        for (Long id : m.keySet()) {
            UserRow u = db.users.get(id);
            if (u != null) us.add(u);
        }
        // ORDER BY lastname ASC, firstname ASC
        us.sort((a, b2) -> {
            int r = collate(a.lastname, b2.lastname);
            if (r == 0) r = collate(a.firstname, b2.firstname);
            return r != 0 ? r : Long.compare(a.id, b2.id);
        });
        return us.stream().map(u -> u.id).toList();
    }

    private Object getCohortMembers(Map<String, Object> p) {
        List<Object> out = new ArrayList<>();
        for (Object o : (List<?>) p.get("cohortids")) {
            long id = ((Number) o).longValue();
            if (!db.cohorts.containsKey(id)) throw WsException.missingRecord("cohort");
            out.add(map("cohortid", id, "userids", new ArrayList<Object>(memberIdsSorted(id))));
        }
        return out;
    }

    private Object deleteCohorts(Map<String, Object> p) {
        db.tx(() -> {
            for (Object o : (List<?>) p.get("cohortids")) {
                long id = ((Number) o).longValue();
                if (!db.cohorts.containsKey(id)) throw WsException.missingRecord("cohort");
                db.removeCohort(id);
                db.count("deleted");
            }
        });
        return null;
    }

    // ------------------------------------------------------------------ categories and courses

    /** fix_course_sortorder: categories numbered in tree order, 10000 apart. */
    Map<Long, Long> categorySortorders() {
        Map<Long, Long> out = new LinkedHashMap<>();
        long[] n = {0};
        walkCategories(0, out, n);
        return out;
    }

    private void walkCategories(long parent, Map<Long, Long> out, long[] n) {
        for (CategoryRow c : db.categories.values()) {
            if (c.parent == parent) {
                out.put(c.id, ++n[0] * 10000);
                walkCategories(c.id, out, n);
            }
        }
    }

    private long courseSortorder(CourseRow course) {
        long base = categorySortorders().getOrDefault(course.category, 0L);
        // New courses go first in their category.
        long rank = db.courses.values().stream()
                .filter(c -> c.category == course.category && c.id > course.id).count();
        return base + rank + 1;
    }

    private Map<String, Object> categoryOut(CategoryRow c, Map<Long, Long> sortorders) {
        long count = db.courses.values().stream().filter(x -> x.category == c.id).count();
        return map("id", c.id, "name", c.name, "idnumber", c.idnumber, "description", c.description,
                "descriptionformat", c.descriptionformat, "parent", c.parent, "sortorder",
                sortorders.getOrDefault(c.id, 0L), "coursecount", count, "visible", c.visible, "visibleold",
                c.visibleold, "timemodified", c.timemodified, "depth", c.depth, "path", c.path, "theme", c.theme);
    }

    private Object createCategories(Map<String, Object> p) {
        return db.tx(() -> {
            List<Object> out = new ArrayList<>();
            for (Map<String, Object> c : list(p, "categories")) {
                long parent = l(c, "parent");
                CategoryRow parentRow = null;
                if (parent != 0) {
                    parentRow = db.categories.get(parent);
                    if (parentRow == null) throw WsException.moodle("unknowcategory", "Unknown category", null);
                }
                String name = s(c, "name");
                if (empty(name)) {
                    throw WsException.moodle("categorynamerequired", "A category name is required.", null);
                }
                if (name.codePointCount(0, name.length()) > 255) {
                    throw WsException.moodle("categorytoolong", "Category name too long", null);
                }
                String idnumber = s(c, "idnumber");
                if (idnumber != null) {
                    if (idnumber.codePointCount(0, idnumber.length()) > 100) {
                        throw WsException.moodle("idnumbertoolong", "ID number is too long", null);
                    }
                    if (!idnumber.isEmpty()
                            && db.categories.values().stream().anyMatch(x -> x.idnumber.equals(idnumber))) {
                        throw WsException.moodle("categoryidnumbertaken",
                                "ID number is already used for another category", null);
                    }
                }
                CategoryRow row = new CategoryRow();
                row.name = name;
                row.idnumber = idnumber == null ? "" : idnumber;
                row.description = c.containsKey("description") ? s(c, "description") : "";
                row.descriptionformat = l(c, "descriptionformat");
                row.parent = parent;
                if (c.containsKey("theme")) row.theme = s(c, "theme");
                row.timemodified = cfg.now();
                row.id = db.categorySeq++;
                row.depth = parentRow == null ? 1 : parentRow.depth + 1;
                row.path = (parentRow == null ? "" : parentRow.path) + "/" + row.id;
                row.contextId = db.newContext(State.CONTEXT_COURSECAT, row.id);
                db.putCategory(row);
                db.count("created");
                out.add(map("id", row.id, "name", row.name));
            }
            return out;
        });
    }

    private Object getCategories(Map<String, Object> p) {
        List<CategoryRow> found = new ArrayList<>();
        List<Map<String, Object>> criteria = list(p, "criteria");
        if (criteria.isEmpty()) {
            found.addAll(db.categories.values());
        } else {
            List<java.util.function.Predicate<CategoryRow>> filters = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Map<String, Object> c : criteria) {
                String key = s(c, "key").strip();
                String value = s(c, "value");
                if (!seen.add(key)) continue;
                switch (key) {
                    case "id" -> {
                        long v = Param.phpInt(value);
                        filters.add(x -> x.id == v);
                    }
                    case "ids" -> {
                        Set<Long> ids = new HashSet<>();
                        for (String part : Param.SEQUENCE.clean(value, cfg).split(",")) {
                            if (!part.isEmpty()) ids.add(Long.parseLong(part));
                        }
                        filters.add(x -> ids.contains(x.id));
                    }
                    case "idnumber" -> filters.add(x -> x.idnumber.equals(value));
                    case "name" -> {
                        String v = Param.stripTags(value);
                        filters.add(x -> x.name.equals(v));
                    }
                    case "parent" -> {
                        long v = Param.phpInt(value);
                        filters.add(x -> x.parent == v);
                    }
                    case "visible" -> {
                        long v = Param.phpInt(value);
                        filters.add(x -> x.visible == v);
                    }
                    case "theme" -> filters.add(x -> x.theme.equals(value));
                    default -> throw new WsException("moodle_exception", "invalidparameter",
                            "Invalid parameter value detected", "You can not search on this criteria: " + key);
                }
            }
            for (CategoryRow c : db.categories.values()) {
                if (filters.stream().allMatch(f -> f.test(c))) found.add(c);
            }
            if (b(p, "addsubcategories")) {
                Set<Long> ids = new LinkedHashSet<>();
                for (CategoryRow c : found) ids.add(c.id);
                for (CategoryRow c : db.categories.values()) {
                    for (CategoryRow f : new ArrayList<>(found)) {
                        if (c.path.startsWith(f.path + "/") && ids.add(c.id)) found.add(c);
                    }
                }
            }
        }
        Map<Long, Long> sortorders = categorySortorders();
        found.sort(Comparator.comparingLong(c -> sortorders.getOrDefault(c.id, 0L)));
        List<Object> out = new ArrayList<>();
        for (CategoryRow c : found) out.add(categoryOut(c, sortorders));
        return out;
    }

    private Object createCourses(Map<String, Object> p) {
        return db.tx(() -> {
            List<Object> out = new ArrayList<>();
            for (Map<String, Object> c : list(p, "courses")) {
                long catId = l(c, "categoryid");
                CategoryRow cat = db.categories.get(catId);
                if (cat == null) {
                    throw WsException.moodle("errorcatcontextnotvalid",
                            "You cannot execute functions in the category context (category id:" + catId
                                    + "). The context error message was: Invalid parameter value detected", null);
                }
                String fullname = s(c, "fullname");
                String shortname = s(c, "shortname");
                if (Param.phpTrim(fullname).isEmpty()) {
                    throw WsException.moodle("errorinvalidparam", "The param \"fullname\" is invalid.", null);
                }
                if (Param.phpTrim(shortname).isEmpty()) {
                    throw WsException.moodle("errorinvalidparam", "The param \"shortname\" is invalid.", null);
                }
                if (c.containsKey("lang") && !cfg.languages.contains(s(c, "lang"))) {
                    throw WsException.moodle("errorinvalidparam", "The param \"lang\" is invalid.", null);
                }
                if (c.containsKey("forcetheme") && !cfg.themes.contains(s(c, "forcetheme"))) {
                    throw WsException.moodle("errorinvalidparam", "The param \"forcetheme\" is invalid.", null);
                }
                checkCourseUnique(shortname, s(c, "idnumber"), 0);
                CourseRow row = new CourseRow();
                row.category = catId;
                row.fullname = fullname;
                row.shortname = shortname;
                applyCourseFields(row, c);
                checkLength("course", "fullname", row.fullname, 1333);
                checkLength("course", "shortname", row.shortname, 255);
                checkLength("course", "idnumber", row.idnumber, 100);
                long now = cfg.now();
                row.timecreated = now;
                row.timemodified = now;
                row.cacherev = now;
                row.formatOptions.put("hiddensections", 1L);
                row.formatOptions.put("coursedisplay", 0L);
                row.formatOptions.put("indentation", "1");
                for (Map<String, Object> o : list(c, "courseformatoptions")) {
                    row.formatOptions.put(s(o, "name"), s(o, "value"));
                }
                row.id = db.courseSeq++;
                row.contextId = db.newContext(State.CONTEXT_COURSE, row.id);
                db.putCourse(row);
                db.count("created");
                out.add(map("id", row.id, "shortname", row.shortname));
            }
            return out;
        });
    }

    private void checkCourseUnique(String shortname, String idnumber, long selfId) {
        if (!empty(shortname) && db.courses.values().stream()
                .anyMatch(x -> x.id != selfId && x.shortname.equals(shortname))) {
            throw WsException.moodle("shortnametaken",
                    "Short name is already used for another course (" + shortname + ")", null);
        }
        if (!empty(idnumber) && db.courses.values().stream()
                .anyMatch(x -> x.id != selfId && x.idnumber.equals(idnumber))) {
            throw WsException.moodle("courseidnumbertaken",
                    "ID number is already used for another course (" + idnumber + ")", null);
        }
    }

    private static void applyCourseFields(CourseRow row, Map<String, Object> c) {
        if (c.containsKey("idnumber")) row.idnumber = s(c, "idnumber");
        if (c.containsKey("summary")) row.summary = s(c, "summary");
        if (c.containsKey("summaryformat")) row.summaryformat = l(c, "summaryformat");
        if (c.containsKey("format")) row.format = s(c, "format");
        if (c.containsKey("showgrades")) row.showgrades = l(c, "showgrades");
        if (c.containsKey("newsitems")) row.newsitems = l(c, "newsitems");
        if (c.containsKey("startdate")) row.startdate = l(c, "startdate");
        if (c.containsKey("enddate")) row.enddate = l(c, "enddate");
        if (c.containsKey("maxbytes")) row.maxbytes = l(c, "maxbytes");
        if (c.containsKey("showreports")) row.showreports = l(c, "showreports");
        if (c.containsKey("visible")) row.visible = l(c, "visible");
        if (c.containsKey("groupmode")) row.groupmode = l(c, "groupmode");
        if (c.containsKey("groupmodeforce")) row.groupmodeforce = l(c, "groupmodeforce");
        if (c.containsKey("defaultgroupingid")) row.defaultgroupingid = l(c, "defaultgroupingid");
        if (c.containsKey("enablecompletion")) row.enablecompletion = l(c, "enablecompletion");
        if (c.containsKey("completionnotify")) row.completionnotify = l(c, "completionnotify");
        if (c.containsKey("lang")) row.lang = s(c, "lang");
        if (c.containsKey("forcetheme")) row.theme = s(c, "forcetheme");
    }

    private Object updateCourses(Map<String, Object> p) {
        return db.tx(() -> {
            List<Object> warnings = new ArrayList<>();
            for (Map<String, Object> c : list(p, "courses")) {
                long id = l(c, "id");
                try {
                    CourseRow old = db.courses.get(id);
                    if (old == null || id == SITE_COURSE_ID) throw WsException.missingRecord("course");
                    if (c.containsKey("categoryid") && !db.categories.containsKey(l(c, "categoryid"))) {
                        throw WsException.missingRecord("course_categories");
                    }
                    if (c.containsKey("fullname") && Param.phpTrim(s(c, "fullname")).isEmpty()) {
                        throw WsException.moodle("errorinvalidparam", "The param \"fullname\" is invalid.", null);
                    }
                    if (c.containsKey("shortname") && Param.phpTrim(s(c, "shortname")).isEmpty()) {
                        throw WsException.moodle("errorinvalidparam", "The param \"shortname\" is invalid.", null);
                    }
                    checkCourseUnique(s(c, "shortname"), s(c, "idnumber"), id);
                    CourseRow row = old.copy();
                    if (c.containsKey("categoryid")) row.category = l(c, "categoryid");
                    if (c.containsKey("fullname")) row.fullname = s(c, "fullname");
                    if (c.containsKey("shortname")) row.shortname = s(c, "shortname");
                    applyCourseFields(row, c);
                    for (Map<String, Object> o : list(c, "courseformatoptions")) {
                        row.formatOptions.put(s(o, "name"), s(o, "value"));
                    }
                    checkLength("course", "fullname", row.fullname, 1333);
                    checkLength("course", "shortname", row.shortname, 255);
                    checkLength("course", "idnumber", row.idnumber, 100);
                    row.timemodified = cfg.now();
                    db.putCourse(row);
                    db.count("updated");
                } catch (WsException e) {
                    warnings.add(map("item", "course", "itemid", id, "warningcode", e.errorcode, "message",
                            e.getMessage()));
                }
            }
            return map("warnings", warnings);
        });
    }

    Map<String, Object> courseOut(CourseRow c) {
        CategoryRow cat = db.categories.get(c.category);
        List<Object> filters = new ArrayList<>();
        for (String f : List.of("displayh5p", "activitynames", "mathjaxloader", "emoticon", "urltolink",
                "mediaplugin")) {
            filters.add(map("filter", f, "localstate", 0L, "inheritedstate", 1L));
        }
        List<Object> formatOptions = new ArrayList<>();
        c.formatOptions.forEach((k, v) -> formatOptions.add(map("name", k, "value", v)));
        List<Object> methods = new ArrayList<>();
        if (c.hasManualInstance && c.manualEnrolEnabled) methods.add("manual");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id);
        m.put("fullname", c.fullname);
        m.put("displayname", c.fullname);
        m.put("shortname", c.shortname);
        m.put("courseimage", wwwroot + "/pluginfile.php/" + c.contextId + "/course/generated/course.svg");
        m.put("categoryid", c.category);
        m.put("categoryname", cat == null ? "" : cat.name);
        m.put("sortorder", courseSortorder(c));
        m.put("summary", c.summary);
        m.put("summaryformat", c.summaryformat);
        m.put("summaryfiles", new ArrayList<>());
        m.put("overviewfiles", new ArrayList<>());
        m.put("showactivitydates", false);
        m.put("showcompletionconditions", true);
        m.put("contacts", new ArrayList<>());
        m.put("enrollmentmethods", methods);
        m.put("idnumber", c.idnumber);
        m.put("format", c.format);
        m.put("showgrades", c.showgrades);
        m.put("newsitems", c.newsitems);
        m.put("startdate", c.startdate);
        m.put("enddate", c.enddate);
        m.put("maxbytes", c.maxbytes);
        m.put("showreports", c.showreports);
        m.put("visible", c.visible);
        m.put("groupmode", c.groupmode);
        m.put("groupmodeforce", c.groupmodeforce);
        m.put("defaultgroupingid", c.defaultgroupingid);
        m.put("enablecompletion", c.enablecompletion);
        m.put("completionnotify", c.completionnotify);
        m.put("lang", c.lang);
        m.put("theme", c.theme);
        m.put("marker", 0L);
        m.put("legacyfiles", 0L);
        m.put("calendartype", "");
        m.put("timecreated", c.timecreated);
        m.put("timemodified", c.timemodified);
        m.put("requested", 0L);
        m.put("cacherev", c.cacherev);
        m.put("filters", filters);
        m.put("courseformatoptions", formatOptions);
        return m;
    }

    private Object getCoursesByField(Map<String, Object> p) {
        String field = s(p, "field");
        String value = s(p, "value");
        java.util.function.Predicate<CourseRow> filter = switch (field) {
            case "" -> c -> true;
            case "id" -> {
                long v = Param.phpInt(value);
                yield c -> c.id == v;
            }
            case "category" -> {
                long v = Param.phpInt(value);
                yield c -> c.category == v;
            }
            case "ids" -> {
                Set<Long> ids = new HashSet<>();
                for (String part : Param.SEQUENCE.clean(value, cfg).split(",")) {
                    if (!part.isEmpty()) ids.add(Long.parseLong(part));
                }
                yield c -> ids.contains(c.id);
            }
            case "shortname" -> {
                String v = Param.stripTags(value);
                yield c -> c.shortname.equals(v);
            }
            case "idnumber" -> c -> c.idnumber.equals(value);
            default -> throw WsException.invalidParameter("Invalid field name");
        };
        List<Object> out = new ArrayList<>();
        for (CourseRow c : db.courses.values()) {
            // The front page "course" is left out of these listings (emulator simplification).
            if (c.id != SITE_COURSE_ID && filter.test(c)) out.add(courseOut(c));
        }
        return map("courses", out, "warnings", new ArrayList<>());
    }

    // ------------------------------------------------------------------ enrolments

    private Object enrolUsers(Map<String, Object> p) {
        db.tx(() -> {
            for (Map<String, Object> e : list(p, "enrolments")) {
                long courseId = l(e, "courseid");
                long userId = l(e, "userid");
                long roleId = l(e, "roleid");
                CourseRow course = db.courses.get(courseId);
                if (course == null) throw WsException.invalidParameter("Context does not exist");
                if (!ASSIGNABLE_IN_COURSE.contains(roleId)) {
                    throw WsException.moodle("wsusercannotassign", "You don't have the permission to assign this role ("
                            + roleId + ") to this user (" + userId + ") in this course(" + courseId + ").", null);
                }
                if (!course.hasManualInstance || !course.manualEnrolEnabled) {
                    throw WsException.moodle("wsnoinstance", "Manual enrolment plugin instance doesn't exist or is "
                            + "disabled for the course (id = {$a->courseid})", null);
                }
                UserRow user = db.users.get(userId);
                if (user == null || user.deleted) throw WsException.coding("User ID does not exist or is deleted!");
                EnrolmentRow old = db.enrolment(courseId, userId);
                EnrolmentRow row = old == null ? new EnrolmentRow() : old.copy();
                row.courseId = courseId;
                row.userId = userId;
                // The WS writes 0 for omitted dates and "active" for an omitted suspend: a re-send clears both.
                row.timestart = e.containsKey("timestart") ? l(e, "timestart") : 0;
                row.timeend = e.containsKey("timeend") ? l(e, "timeend") : 0;
                row.status = e.containsKey("suspend") && l(e, "suspend") != 0 ? 1 : 0;
                if (old == null) row.timecreated = cfg.now();
                row.roles.add(roleId);
                db.putEnrolment(row);
                db.count("enrolled");
            }
        });
        return null;
    }

    private Object unenrolUsers(Map<String, Object> p) {
        db.tx(() -> {
            for (Map<String, Object> e : list(p, "enrolments")) {
                long courseId = l(e, "courseid");
                long userId = l(e, "userid");
                CourseRow course = db.courses.get(courseId);
                if (course == null) throw WsException.missingRecord("course");
                if (!course.hasManualInstance) {
                    throw WsException.moodle("wsnoinstance", "Manual enrolment plugin instance doesn't exist or is "
                            + "disabled for the course (id = {$a->courseid})", null);
                }
                if (!db.users.containsKey(userId)) {
                    throw WsException.invalidParameter("User id not exist: " + userId);
                }
                if (db.removeEnrolment(courseId, userId)) {
                    for (GroupRow g : db.groups.values()) {
                        if (g.courseId == courseId) db.removeGroupMember(g.id, userId);
                    }
                    db.count("unenrolled");
                }
            }
        });
        return null;
    }

    boolean activeEnrolment(EnrolmentRow e, CourseRow c, long now) {
        return e.status == 0 && c.manualEnrolEnabled && e.timestart <= now && (e.timeend == 0 || e.timeend > now);
    }

    private Object getEnrolledUsers(Map<String, Object> p) {
        long courseId = l(p, "courseid");
        CourseRow course = db.courses.get(courseId);
        if (course == null) throw WsException.missingRecord("course");
        boolean onlyActive = false;
        boolean onlySuspended = false;
        long groupId = 0;
        long limitfrom = 0;
        long limitnumber = 0;
        String sortby = "id";
        String sortdirection = "ASC";
        for (Map<String, Object> o : list(p, "options")) {
            String name = s(o, "name");
            String v = s(o, "value");
            switch (name) {
                case "onlyactive" -> onlyActive = Param.BOOL.clean(v, cfg).equals("1");
                case "onlysuspended" -> onlySuspended = Param.BOOL.clean(v, cfg).equals("1");
                case "groupid" -> groupId = Param.phpInt(v);
                case "limitfrom" -> limitfrom = Param.phpInt(v);
                case "limitnumber" -> limitnumber = Param.phpInt(v);
                case "sortby" -> sortby = Param.ALPHA.clean(v, cfg);
                case "sortdirection" -> sortdirection = v.toUpperCase(Locale.ROOT);
                case "withcapability", "userfields" -> { }
                default -> throw WsException.invalidParameter("Invalid option name " + name);
            }
        }
        if (onlyActive && onlySuspended) {
            throw WsException.coding("Both onlyactive and onlysuspended are set, this is probably not what you want!");
        }
        long now = cfg.now();
        List<UserRow> users = new ArrayList<>();
        for (EnrolmentRow e : db.enrolments.getOrDefault(courseId, new LinkedHashMap<>()).values()) {
            UserRow u = db.users.get(e.userId);
            if (u == null || u.deleted) continue;
            boolean active = activeEnrolment(e, course, now);
            if (onlyActive && !active) continue;
            if (onlySuspended && active) continue;
            if (groupId > 0 && !db.groupMembers.getOrDefault(groupId, new LinkedHashSet<>()).contains(u.id)) continue;
            users.add(u);
        }
        Comparator<UserRow> cmp = switch (sortby) {
            case "firstname" -> (a, b2) -> collate(a.firstname, b2.firstname);
            case "lastname" -> (a, b2) -> collate(a.lastname, b2.lastname);
            default -> Comparator.comparingLong(u -> u.id);
        };
        if (sortdirection.equals("DESC")) cmp = cmp.reversed();
        users.sort(cmp);
        List<Object> out = new ArrayList<>();
        for (UserRow u : page(users, limitfrom, limitnumber)) {
            out.add(enrolledUserOut(u, courseId, now));
        }
        return out;
    }

    private Map<String, Object> enrolledUserOut(UserRow u, long courseId, long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id);
        m.put("username", u.username);
        m.put("firstname", u.firstname);
        m.put("lastname", u.lastname);
        m.put("fullname", u.firstname + " " + u.lastname);
        m.put("email", u.email);
        m.put("department", u.department);
        if (!u.idnumber.isEmpty()) m.put("idnumber", u.idnumber);
        m.put("firstaccess", 0L);
        m.put("lastaccess", 0L);
        m.put("lastcourseaccess", 0L);
        m.put("profileimageurlsmall", imageUrl("f2"));
        m.put("profileimageurl", imageUrl("f1"));
        List<Object> cf = customFieldsOut(u);
        if (!cf.isEmpty()) m.put("customfields", cf);
        List<Object> groupsOut = new ArrayList<>();
        for (GroupRow g : db.groups.values()) {
            if (g.courseId == courseId && db.groupMembers.getOrDefault(g.id, new LinkedHashSet<>()).contains(u.id)) {
                groupsOut.add(map("id", g.id, "name", g.name, "description", g.description, "descriptionformat",
                        g.descriptionformat));
            }
        }
        if (!groupsOut.isEmpty()) m.put("groups", groupsOut);
        List<Object> roles = new ArrayList<>();
        EnrolmentRow e = db.enrolment(courseId, u.id);
        if (e != null) {
            for (Long r : e.roles) {
                roles.add(map("roleid", r, "name", "", "shortname", ROLES.get(r), "sortorder", 0L));
            }
        }
        m.put("roles", roles);
        List<Object> courses = new ArrayList<>();
        for (CourseRow c : db.courses.values()) {
            EnrolmentRow ce = db.enrolment(c.id, u.id);
            if (ce != null && activeEnrolment(ce, c, now)) {
                courses.add(map("id", c.id, "fullname", c.fullname, "shortname", c.shortname));
            }
        }
        if (!courses.isEmpty()) m.put("enrolledcourses", courses);
        return m;
    }

    // ------------------------------------------------------------------ groups

    private Map<String, Object> groupOut(GroupRow g) {
        return map("id", g.id, "courseid", g.courseId, "name", g.name, "description", g.description,
                "descriptionformat", g.descriptionformat, "enrolmentkey", g.enrolmentkey, "idnumber", g.idnumber,
                "visibility", g.visibility, "participation", g.participation);
    }

    private Object createGroups(Map<String, Object> p) {
        return db.tx(() -> {
            List<Object> out = new ArrayList<>();
            for (Map<String, Object> g : list(p, "groups")) {
                long courseId = l(g, "courseid");
                String name = s(g, "name");
                if (Param.phpTrim(name).isEmpty()) throw WsException.invalidParameter("Invalid group name");
                if (db.groups.values().stream().anyMatch(x -> x.courseId == courseId && x.name.equals(name))) {
                    throw WsException.invalidParameter("Group with the same name already exists in the course");
                }
                CourseRow course = db.courses.get(courseId);
                if (course == null) {
                    throw WsException.moodle("errorcoursecontextnotvalid",
                            "You cannot execute functions in the course context (course id:" + courseId
                                    + "). The context error message was: Invalid parameter value detected", null);
                }
                String idnumber = g.containsKey("idnumber") ? s(g, "idnumber") : "";
                if (!idnumber.isEmpty() && db.groups.values().stream()
                        .anyMatch(x -> x.courseId == courseId && x.idnumber.equals(idnumber))) {
                    throw WsException.moodle("idnumbertaken", "This ID number is already taken", null);
                }
                checkLength("groups", "name", name, 254);
                checkLength("groups", "idnumber", idnumber, 100);
                GroupRow row = new GroupRow();
                row.courseId = courseId;
                row.name = name;
                row.idnumber = idnumber;
                row.description = s(g, "description");
                row.descriptionformat = l(g, "descriptionformat");
                row.enrolmentkey = g.containsKey("enrolmentkey") ? s(g, "enrolmentkey") : "";
                row.visibility = l(g, "visibility");
                row.participation = b(g, "participation");
                row.timecreated = cfg.now();
                row.id = db.groupSeq++;
                db.putGroup(row);
                db.count("created");
                out.add(groupOut(row));
            }
            return out;
        });
    }

    private Object addGroupMembers(Map<String, Object> p) {
        db.tx(() -> {
            for (Map<String, Object> m : list(p, "members")) {
                GroupRow g = db.groups.get(l(m, "groupid"));
                if (g == null) throw WsException.missingRecord("groups");
                UserRow u = db.users.get(l(m, "userid"));
                if (u == null || u.deleted) throw WsException.missingRecord("user");
                if (db.enrolment(g.courseId, u.id) == null) {
                    throw WsException.invalidParameter("Only enrolled users may be members of groups");
                }
                if (db.addGroupMember(g.id, u.id)) db.count("added");
            }
        });
        return null;
    }

    private Object deleteGroupMembers(Map<String, Object> p) {
        db.tx(() -> {
            for (Map<String, Object> m : list(p, "members")) {
                GroupRow g = db.groups.get(l(m, "groupid"));
                if (g == null) throw WsException.missingRecord("groups");
                UserRow u = db.users.get(l(m, "userid"));
                if (u == null || u.deleted) throw WsException.missingRecord("user");
                if (db.removeGroupMember(g.id, u.id)) db.count("removed");
            }
        });
        return null;
    }

    private Object getCourseGroups(Map<String, Object> p) {
        long courseId = l(p, "courseid");
        if (!db.courses.containsKey(courseId)) throw WsException.missingRecord("course");
        List<Object> out = new ArrayList<>();
        for (GroupRow g : db.groups.values()) {
            if (g.courseId == courseId) out.add(groupOut(g));
        }
        return out;
    }

    private Object getGroupMembers(Map<String, Object> p) {
        List<Object> out = new ArrayList<>();
        for (Object o : (List<?>) p.get("groupids")) {
            long id = ((Number) o).longValue();
            if (!db.groups.containsKey(id)) throw WsException.missingRecord("groups");
            out.add(map("groupid", id, "userids",
                    new ArrayList<Object>(db.groupMembers.getOrDefault(id, new LinkedHashSet<>()))));
        }
        return out;
    }
}
