package org.ypsync.moodle.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.ypsync.moodle.emulator.Desc.Single;
import org.ypsync.moodle.emulator.Records.CategoryRow;
import org.ypsync.moodle.emulator.Records.CourseRow;
import org.ypsync.moodle.emulator.Records.UserRow;

import static org.ypsync.moodle.emulator.Desc.multipleDefaultEmpty;
import static org.ypsync.moodle.emulator.Desc.single;
import static org.ypsync.moodle.emulator.WsValues.map;
import static org.ypsync.moodle.emulator.Desc.value;

/**
 * The emulated Moodle: the fresh install, the registry of web-service functions over {@link State} (each Moodle
 * subsystem's functions in its own class: {@link UserFunctions}, {@link CohortFunctions}, {@link CourseFunctions},
 * {@link CourseEditFunctions}, {@link EnrolFunctions}) and the site info. Functions follow Moodle 4.4's externallib code and the recorded
 * transcripts. Callers hold the site lock.
 */
final class MoodleSite {
    static final long GUEST_ID = 1;
    static final long ADMIN_ID = 2;
    static final long SITE_COURSE_ID = 1;
    /** The standard roles of a 4.4 install, by id (their sortorder is their id). */
    static final Map<Long, String> ROLES = Map.of(1L, "manager", 2L, "coursecreator", 3L, "editingteacher",
            4L, "teacher", 5L, "student", 6L, "guest", 7L, "user", 8L, "frontpage");
    /**
     * Roles the token user may assign in a course (get_assignable_roles): for a site admin every role whose context
     * levels include the course (get_default_contextlevels: manager system/category/course, coursecreator
     * system/category, editingteacher, teacher and student course/module, guest, user and frontpage none); for a
     * manager the same, as the default allow-assign matrix (get_default_role_archetype_allows('assign',
     * 'manager'), lib/accesslib.php) lets a manager assign manager, coursecreator, editingteacher, teacher and
     * student. So 1, 3, 4, 5; never 2, 6, 7, 8.
     */
    static final Set<Long> ASSIGNABLE_IN_COURSE = Set.of(1L, 3L, 4L, 5L);
    /** Roles that hold moodle/course:viewhiddencourses in a course by default (manager, teachers). */
    static final Set<Long> SEE_HIDDEN_COURSES = Set.of(1L, 2L, 3L, 4L);

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
            "core_group_get_groups", "core_group_create_groups", "core_group_add_group_members",
            "core_group_delete_group_members", "core_group_get_course_groups", "core_group_get_group_members",
            "enrol_meta_add_instances", "enrol_meta_delete_instances",
            "core_user_get_course_user_profiles", "core_user_update_picture", "enrol_self_enrol_user",
            "core_enrol_get_course_enrolment_methods", "core_cohort_get_cohort_custom_fields");
    volatile String wwwroot;
    final long themeRev;
    final String privateAccessKey;
    /** The functions by Moodle subsystem. */
    final UserFunctions users;
    final CohortFunctions cohorts;
    final CourseFunctions courses;
    final CourseEditFunctions courseEdits;
    final EnrolFunctions enrol;

    MoodleSite(SiteConfig cfg, String wwwroot, String privateAccessKey) {
        this.cfg = cfg;
        this.wwwroot = wwwroot;
        this.themeRev = cfg.now();
        this.privateAccessKey = privateAccessKey;
        this.users = new UserFunctions(this);
        this.cohorts = new CohortFunctions(this);
        this.courses = new CourseFunctions(this);
        this.courseEdits = new CourseEditFunctions(this);
        this.enrol = new EnrolFunctions(this);
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
        installUser(GUEST_ID, 0, "guest", "Guest user", " ", "root@localhost", now,
                "This user is a special user that allows read-only access to some courses.");
        installUser(ADMIN_ID, 4, "admin", "Admin", "User", "admin@example.invalid", now, "");
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

    /** A user of the fresh install (guest, admin), with a password. */
    private void installUser(long id, long contextId, String username, String firstname, String lastname,
                             String email, long now, String description) {
        UserRow u = new UserRow();
        u.id = id;
        u.contextId = contextId;
        u.username = username;
        u.firstname = firstname;
        u.lastname = lastname;
        u.email = email;
        u.description = description;
        u.hasPassword = true;
        u.timecreated = now;
        u.timemodified = now;
        db.putUser(u);
    }

    // ------------------------------------------------------------------ registry

    void fn(String name, Single params, Function<Map<String, Object>, Object> h, boolean isVoid,
                    boolean write) {
        functions.put(name, new Fn(name, params, h, isVoid, write));
    }

    private void register() {
        fn("core_webservice_get_site_info", single()
                .key("serviceshortnames", multipleDefaultEmpty(value(Param.ALPHANUMEXT))).build(),
                this::siteInfo, false, false);
        users.register();
        cohorts.register();
        courses.register();
        courseEdits.register();
        enrol.register();
    }

    boolean functionExists(String name) {
        return functions.containsKey(name) || OTHER_KNOWN_FUNCTIONS.contains(name);
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

}
