package org.ypsync.moodle.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ypsync.moodle.emulator.Records.CourseRow;
import org.ypsync.moodle.emulator.Records.EnrolmentRow;

import static org.ypsync.moodle.emulator.Desc.multiple;
import static org.ypsync.moodle.emulator.Desc.multipleDefaultEmpty;
import static org.ypsync.moodle.emulator.Desc.single;
import static org.ypsync.moodle.emulator.Desc.value;
import static org.ypsync.moodle.emulator.Desc.withDefault;
import static org.ypsync.moodle.emulator.MoodleSite.SITE_COURSE_ID;
import static org.ypsync.moodle.emulator.WsValues.*;

/**
 * Changes to existing courses: core_course_update_courses (course/externallib.php update_courses, course/lib.php
 * update_course) and core_course_duplicate_course (externallib duplicate_course: a same-site backup restored into a
 * new course).
 */
final class CourseEditFunctions extends SiteFunctions {
    /** duplicate_course's known backup options; any other name is invalidextparam. */
    private static final List<String> BACKUP_OPTIONS = List.of("activities", "blocks", "filters", "users",
            "enrolments", "role_assignments", "comments", "userscompletion", "logs", "grade_histories");

    CourseEditFunctions(MoodleSite site) {
        super(site);
    }

    @Override
    void register() {
        site.fn("core_course_update_courses", single().key("courses",
                multiple(CourseFunctions.courseDesc(false))).build(), this::updateCourses, false, true);
        site.fn("core_course_duplicate_course", single()
                .key("courseid", value(Param.INT)).key("fullname", value(Param.TEXT))
                .key("shortname", value(Param.TEXT)).key("categoryid", value(Param.INT))
                .key("visible", withDefault(Param.INT, 1L))
                .key("options", multipleDefaultEmpty(keyValueDesc("name", Param.ALPHAEXT))).build(),
                this::duplicateCourse, false, true);
    }

    // ------------------------------------------------------------------ update

    /** Each course on its own: a failure is a warning (item course, itemid, its errorcode) and the rest proceed. */
    private Object updateCourses(Map<String, Object> p) {
        return db.tx(() -> {
            List<Object> warnings = new ArrayList<>();
            for (Map<String, Object> c : list(p, "courses")) {
                long id = l(c, "id");
                try {
                    updateCourse(id, c);
                } catch (WsException e) {
                    warnings.add(map("item", "course", "itemid", id, "warningcode", e.errorcode, "message",
                            e.getMessage()));
                }
            }
            return map("warnings", warnings);
        });
    }

    private void updateCourse(long id, Map<String, Object> c) {
        CourseRow old = db.courses.get(id);
        if (old == null || id == SITE_COURSE_ID) throw WsException.missingRecord("course");
        // The externallib checks a field only when its value changes.
        if (changed(c, "categoryid", String.valueOf(old.category)) && !db.categories.containsKey(l(c, "categoryid"))) {
            throw WsException.missingRecord("course_categories");
        }
        for (String key : List.of("fullname", "shortname")) {
            if (changed(c, key, key.equals("fullname") ? old.fullname : old.shortname)
                    && Param.phpTrim(s(c, key)).isEmpty()) {
                throw WsException.moodle("errorinvalidparam", "The param \"" + key + "\" is invalid.", null);
            }
        }
        if (changed(c, "lang", old.lang) && !cfg.languages.contains(s(c, "lang"))) {
            throw WsException.moodle("errorinvalidparam", "The param \"lang\" is invalid.", null);
        }
        // update_course: a new non-empty shortname or idnumber must be free (a value left as it was is not checked,
        // even if another course shares it).
        String shortname = s(c, "shortname");
        String idnumber = s(c, "idnumber");
        site.courses.checkCourseUnique(changed(c, "shortname", old.shortname) ? shortname : null,
                changed(c, "idnumber", old.idnumber) ? idnumber : null, id);
        checkDates(c);
        CourseRow row = old.copy();
        if (c.containsKey("categoryid")) row.category = l(c, "categoryid");
        if (c.containsKey("fullname")) row.fullname = s(c, "fullname");
        if (c.containsKey("shortname")) row.shortname = shortname;
        CourseFunctions.applyCourseFields(row, c);
        for (Map<String, Object> o : list(c, "courseformatoptions")) {
            row.formatOptions.put(s(o, "name"), s(o, "value"));
        }
        checkLength("course", "fullname", row.fullname, 1333);
        checkLength("course", "shortname", row.shortname, 255);
        checkLength("course", "idnumber", row.idnumber, 100);
        row.timemodified = cfg.now();
        db.putCourse(row);
        db.count("updated");
    }

    private static boolean changed(Map<String, Object> c, String key, String old) {
        return c.containsKey(key) && !s(c, key).equals(old);
    }

    /**
     * course_validate_dates over the fields SENT (not merged with the stored course): an end date needs a start
     * date in the same entry, and must not be before it. The messages are not checked against a real site; clients
     * key on the errorcode.
     */
    private static void checkDates(Map<String, Object> c) {
        long start = c.containsKey("startdate") ? l(c, "startdate") : 0;
        long end = c.containsKey("enddate") ? l(c, "enddate") : 0;
        if (start != 0 && end != 0 && end < start) {
            throw WsException.moodle("enddatebeforestartdate", "The course end date must be after the start date.",
                    null);
        }
        if (start == 0 && end != 0) {
            throw WsException.moodle("nostartdatenoenddate", "The course end date requires a course start date.",
                    null);
        }
    }

    // ------------------------------------------------------------------ duplicate

    /**
     * A copy of the template in another (or the same) category, under a new fullname and shortname. What the
     * restore keeps: format, summary, dates, settings, format options, sections and (option activities, default 1)
     * their activities. What it does not: the idnumber (restore blanks it, as the template's own idnumber is taken).
     * Users: duplicate_course only sets the options it is sent; the same-site backup plan's own default for
     * {@code users} is on (backup_root_task: {@code new backup_users_setting('users', ..., true)}; no config
     * defaults apply to MODE_SAMESITE), so WITHOUT {@code users=0} the template's enrolments and their roles are
     * copied, with the template's manual instance. With {@code users=0} the copy has no one enrolled and gets a new,
     * enabled manual instance (restore_default_enrolments_step: enrol_course_updated adds the default instances).
     */
    private Object duplicateCourse(Map<String, Object> p) {
        return db.tx(() -> {
            CourseRow template = db.courses.get(l(p, "courseid"));
            if (template == null) {
                throw WsException.moodle("invalidcourseid", "You are trying to use an invalid course ID", null);
            }
            long catId = l(p, "categoryid");
            if (!db.categories.containsKey(catId)) throw WsException.missingRecord("course_categories");
            Map<String, Long> options = backupOptions(list(p, "options"));
            String shortname = s(p, "shortname");
            // The message names the FULL names of the courses that hold the shortname (not the shortname).
            List<String> holders = db.courses.values().stream().filter(x -> x.shortname.equals(shortname))
                    .map(x -> x.fullname).toList();
            if (!holders.isEmpty()) {
                throw WsException.moodle("shortnametaken",
                        "Short name is already used for another course (" + String.join(",", holders) + ")", null);
            }
            CourseRow copy = template.copy();
            copy.category = catId;
            copy.fullname = s(p, "fullname");
            copy.shortname = shortname;
            copy.visible = l(p, "visible");
            copy.idnumber = "";
            long now = cfg.now();
            copy.timecreated = now;
            copy.timemodified = now;
            copy.cacherev = now;
            if (options.getOrDefault("activities", 1L) == 0) {
                copy.sections.replaceAll(MoodleSection::withoutActivities);
            }
            boolean users = options.getOrDefault("users", 1L) == 1 && options.getOrDefault("enrolments", 1L) == 1;
            if (!users) {
                copy.hasManualInstance = true;
                copy.manualEnrolEnabled = true;
            }
            checkLength("course", "fullname", copy.fullname, 1333);
            checkLength("course", "shortname", copy.shortname, 255);
            copy.id = db.courseSeq++;
            copy.contextId = db.newContext(State.CONTEXT_COURSE, copy.id);
            db.putCourse(copy);
            db.count("created");
            if (users) {
                copyEnrolments(template.id, copy.id, options.getOrDefault("role_assignments", 1L) == 1, now);
            }
            return map("id", copy.id, "shortname", copy.shortname);
        });
    }

    /** Options are checked value first (PARAM_INT-cleaned, must be 0 or 1), then name. */
    private static Map<String, Long> backupOptions(List<Map<String, Object>> options) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map<String, Object> o : options) {
            String name = s(o, "name");
            long v = Param.phpInt(s(o, "value"));
            if ((v != 0 && v != 1) || !BACKUP_OPTIONS.contains(name)) {
                throw WsException.moodle("invalidextparam", "Invalid external api parameter: " + name, null);
            }
            out.put(name, v);
        }
        return out;
    }

    private void copyEnrolments(long fromCourse, long toCourse, boolean roles, long now) {
        for (EnrolmentRow e : List.copyOf(db.enrolments.getOrDefault(fromCourse, new LinkedHashMap<>()).values())) {
            EnrolmentRow row = e.copy();
            row.courseId = toCourse;
            row.timecreated = now;
            if (!roles) row.roles.clear();
            db.putEnrolment(row);
            db.count("enrolled");
        }
    }
}
