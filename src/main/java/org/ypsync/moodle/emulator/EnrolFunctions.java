package org.ypsync.moodle.emulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ypsync.moodle.emulator.Records.CourseRow;
import org.ypsync.moodle.emulator.Records.EnrolmentRow;
import org.ypsync.moodle.emulator.Records.UserRow;

import static org.ypsync.moodle.emulator.Desc.multiple;
import static org.ypsync.moodle.emulator.Desc.multipleDefaultEmpty;
import static org.ypsync.moodle.emulator.Desc.optional;
import static org.ypsync.moodle.emulator.Desc.single;
import static org.ypsync.moodle.emulator.Desc.value;
import static org.ypsync.moodle.emulator.WsValues.*;
import static org.ypsync.moodle.emulator.MoodleSite.ROLES;
import static org.ypsync.moodle.emulator.MoodleSite.ASSIGNABLE_IN_COURSE;

/**
 * Manual enrolments (enrol_manual_*) and the enrolled users of a course (core_enrol_get_enrolled_users).
 */
final class EnrolFunctions extends SiteFunctions {
    EnrolFunctions(MoodleSite site) {
        super(site);
    }

    @Override
    void register() {
        site.fn("enrol_manual_enrol_users", single().key("enrolments", multiple(single()
                .key("roleid", value(Param.INT)).key("userid", value(Param.INT)).key("courseid", value(Param.INT))
                .key("timestart", optional(Param.INT)).key("timeend", optional(Param.INT))
                .key("suspend", optional(Param.INT)).build())).build(), this::enrolUsers, true, true);
        site.fn("enrol_manual_unenrol_users", single().key("enrolments", multiple(single()
                .key("userid", value(Param.INT)).key("courseid", value(Param.INT))
                .key("roleid", optional(Param.INT)).build())).build(), this::unenrolUsers, true, true);
        site.fn("core_enrol_get_enrolled_users", single().key("courseid", value(Param.INT))
                .key("options", multipleDefaultEmpty(keyValueDesc("name", Param.ALPHANUMEXT))).build(),
                this::getEnrolledUsers, false, false);
    }

    // ------------------------------------------------------------------ enrolments

    /**
     * get_user_roles in the course context: {roleid, name ('' for a standard role without a custom name),
     * shortname, sortorder (role_assignments.sortorder: always 0)}, ordered by the role's sortorder (= its id).
     */
    static List<Object> rolesOut(EnrolmentRow e) {
        List<Object> roles = new ArrayList<>();
        if (e != null) {
            for (Long r : new java.util.TreeSet<>(e.roles)) {
                roles.add(map("roleid", r, "name", "", "shortname", ROLES.get(r), "sortorder", 0L));
            }
        }
        return roles;
    }

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
                    db.count("unenrolled");
                }
            }
        });
        return null;
    }

    /**
     * get_enrolled_join's "active": enrolment active, instance enabled, started (timestart strictly before now) and
     * not ended. onlysuspended lists the enrolled users who are NOT active by this test: suspended, expired, not yet
     * started, or in a disabled instance.
     */
    static boolean activeEnrolment(EnrolmentRow e, CourseRow c, long now) {
        return e.status == 0 && c.manualEnrolEnabled && e.timestart < now && (e.timeend == 0 || e.timeend > now);
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
            String v = s(o, "value");
            // PHP: !empty() for the flags, (int) for the numbers; an option name it does not know is ignored.
            switch (s(o, "name")) {
                case "onlyactive" -> onlyActive = !empty(v);
                case "onlysuspended" -> onlySuspended = !empty(v);
                case "groupid" -> groupId = Param.phpInt(v);
                case "limitfrom" -> limitfrom = Param.phpInt(v);
                case "limitnumber" -> limitnumber = Param.phpInt(v);
                case "sortby" -> {
                    if (!List.of("id", "firstname", "lastname", "siteorder").contains(v)) {
                        throw WsException.invalidParameter("Invalid value for sortby parameter (value: " + v
                                + "), allowed values are: id,firstname,lastname,siteorder");
                    }
                    sortby = v;
                }
                case "sortdirection" -> {
                    sortdirection = v.toUpperCase(Locale.ROOT);
                    if (!List.of("ASC", "DESC").contains(sortdirection)) {
                        throw WsException.invalidParameter("Invalid value for sortdirection parameter (value: "
                                + sortdirection + "),allowed values are: ASC,DESC");
                    }
                }
                default -> { }
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
            if (groupId > 0) continue; // groups are not emulated: nobody is in one
            users.add(u);
        }
        Comparator<UserRow> cmp = switch (sortby) {
            case "firstname" -> (a, b2) -> collate(a.firstname, b2.firstname);
            case "lastname", "siteorder" -> (a, b2) -> collate(a.lastname, b2.lastname);
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
        Map<String, Object> m = UserFunctions.identityOut(u);
        m.put("department", u.department);
        if (!u.idnumber.isEmpty()) m.put("idnumber", u.idnumber);
        m.put("firstaccess", 0L);
        m.put("lastaccess", 0L);
        m.put("lastcourseaccess", 0L);
        m.put("profileimageurlsmall", site.imageUrl("f2"));
        m.put("profileimageurl", site.imageUrl("f1"));
        List<Object> cf = site.users.customFieldsOut(u);
        if (!cf.isEmpty()) m.put("customfields", cf);
        m.put("roles", rolesOut(db.enrolment(courseId, u.id)));
        // enrol_get_users_courses(onlyactive): the courses of ACTIVE enrolments only, and a hidden course only for
        // a user who may see hidden courses there (a teacher, not a student).
        List<Object> courses = new ArrayList<>();
        for (CourseRow c : db.courses.values()) {
            EnrolmentRow ce = db.enrolment(c.id, u.id);
            if (ce != null && activeEnrolment(ce, c, now)
                    && (c.visible != 0 || ce.roles.stream().anyMatch(MoodleSite.SEE_HIDDEN_COURSES::contains))) {
                courses.add(map("id", c.id, "fullname", c.fullname, "shortname", c.shortname));
            }
        }
        if (!courses.isEmpty()) m.put("enrolledcourses", courses);
        return m;
    }

}
