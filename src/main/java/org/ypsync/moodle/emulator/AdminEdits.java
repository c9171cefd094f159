package org.ypsync.moodle.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.ypsync.moodle.emulator.Records.CategoryRow;
import org.ypsync.moodle.emulator.Records.CohortRow;
import org.ypsync.moodle.emulator.Records.CourseRow;
import org.ypsync.moodle.emulator.Records.EnrolmentRow;
import org.ypsync.moodle.emulator.Records.UserRow;

/**
 * What an administrator does by hand in Moodle's UI (no web-service checks, no counters), and the read-only views
 * tests get of the rows. Callers hold the site lock.
 */
final class AdminEdits {
    private final State db;
    private final SiteConfig cfg;
    private final UserFunctions users;

    AdminEdits(MoodleSite site) {
        this.db = site.db;
        this.cfg = site.cfg;
        this.users = site.users;
    }

    /** The row of that id, else IllegalArgumentException ("no user 12"): a test asked for what is not there. */
    private static <T> T found(Map<Long, T> table, long id, String what) {
        T row = table.get(id);
        if (row == null) throw new IllegalArgumentException("no " + what + " " + id);
        return row;
    }

    /** Creates a user as an admin would by hand (no WS checks; ids from the same sequence). Returns its id. */
    long createUser(String username, String firstname, String lastname, String email, String idnumber, String auth) {
        UserRow u = new UserRow();
        u.username = username;
        u.firstname = firstname;
        u.lastname = lastname;
        u.email = email;
        u.idnumber = idnumber == null ? "" : idnumber;
        u.auth = auth;
        u.hasPassword = true;
        u.timecreated = cfg.now();
        u.timemodified = u.timecreated;
        u.id = db.userSeq++;
        u.contextId = db.newContext(State.CONTEXT_USER, u.id);
        db.putUser(u);
        return u.id;
    }

    /** Edits a user as an admin would in the UI (no WS checks, no counters). */
    void editUser(long id, UnaryOperator<MoodleUser> change) {
        UserRow u = found(db.users, id, "user");
        MoodleUser edited = change.apply(view(u));
        UserRow row = u.copy();
        row.username = edited.username();
        row.idnumber = edited.idnumber();
        row.firstname = edited.firstname();
        row.lastname = edited.lastname();
        row.email = edited.email();
        row.auth = edited.auth();
        row.suspended = edited.suspended();
        row.customfields = new LinkedHashMap<>(edited.customfields());
        row.timemodified = cfg.now();
        db.putUser(row);
    }

    /** Deletes a user as an admin would (Moodle's soft delete). */
    void deleteUser(long id) {
        UserRow u = found(db.users, id, "user");
        if (u.deleted) throw new IllegalArgumentException("no user " + id);
        users.deleteUser(u);
    }

    /** Creates a cohort by hand in a category's context ({@code categoryId} null = system). */
    long createCohort(String idnumber, String name, Long categoryId) {
        CohortRow c = new CohortRow();
        c.idnumber = idnumber == null ? "" : idnumber;
        c.name = name;
        if (categoryId == null) {
            c.contextId = 1;
        } else {
            c.contextId = found(db.categories, categoryId, "category").contextId;
        }
        c.timecreated = cfg.now();
        c.timemodified = c.timecreated;
        c.id = db.cohortSeq++;
        c.heap = db.heapSeq++;
        db.putCohort(c);
        return c.id;
    }

    void editCohort(long id, UnaryOperator<MoodleCohort> change) {
        CohortRow c = found(db.cohorts, id, "cohort");
        MoodleCohort edited = change.apply(view(c));
        CohortRow row = c.copy();
        row.name = edited.name();
        row.idnumber = edited.idnumber();
        row.description = edited.description();
        row.visible = edited.visible();
        row.customfields = new LinkedHashMap<>(edited.customfields());
        row.heap = db.heapSeq++;
        db.putCohort(row);
    }

    void addMember(long cohortId, long userId) {
        found(db.cohorts, cohortId, "cohort");
        found(db.users, userId, "user");
        db.addMember(cohortId, userId, cfg.now());
    }

    /** Creates a top-level course category by hand. Returns its id. */
    long createCategory(String name, String idnumber) {
        CategoryRow c = new CategoryRow();
        c.name = name;
        c.idnumber = idnumber == null ? "" : idnumber;
        c.id = db.categorySeq++;
        c.depth = 1;
        c.path = "/" + c.id;
        c.timemodified = cfg.now();
        c.contextId = db.newContext(State.CONTEXT_COURSECAT, c.id);
        db.putCategory(c);
        return c.id;
    }

    /** Creates a course by hand (with an enabled manual enrolment instance). Returns its id. */
    long createCourse(String shortname, String fullname, long categoryId, String idnumber) {
        found(db.categories, categoryId, "category");
        CourseRow c = new CourseRow();
        c.shortname = shortname;
        c.fullname = fullname;
        c.category = categoryId;
        c.idnumber = idnumber == null ? "" : idnumber;
        c.timecreated = cfg.now();
        c.timemodified = c.timecreated;
        c.cacherev = c.timecreated;
        c.formatOptions.put("hiddensections", 1L);
        c.formatOptions.put("coursedisplay", 0L);
        c.formatOptions.put("indentation", "1");
        c.id = db.courseSeq++;
        c.contextId = db.newContext(State.CONTEXT_COURSE, c.id);
        db.putCourse(c);
        return c.id;
    }

    /** Enables or disables the manual enrolment instance of a course (disabled: enrol gives wsnoinstance). */
    void manualEnrolEnabled(long courseId, boolean enabled) {
        editCourse(courseId, row -> row.manualEnrolEnabled = enabled);
    }

    void courseVisible(long courseId, boolean visible) {
        editCourse(courseId, row -> row.visible = visible ? 1 : 0);
    }

    void addActivity(long courseId, int section, String modname, String name) {
        editCourse(courseId, row -> {
            while (row.sections.size() <= section) {
                row.sections.add(new MoodleSection(row.sections.size(), "", List.of()));
            }
            row.sections.set(section, row.sections.get(section).withActivity(new MoodleSection.Activity(modname,
                    name)));
        });
    }

    private void editCourse(long courseId, java.util.function.Consumer<CourseRow> change) {
        CourseRow row = found(db.courses, courseId, "course").copy();
        change.accept(row);
        row.timemodified = cfg.now();
        db.putCourse(row);
    }

    /** Deletes a course and its enrolments (delete_course). */
    void deleteCourse(long courseId) {
        found(db.courses, courseId, "course");
        if (courseId == MoodleSite.SITE_COURSE_ID) throw new IllegalArgumentException("the front page stays");
        db.removeCourse(courseId);
    }

    /** The participants page's "Enrol users": a new active enrolment, or the role added to an existing one. */
    void enrolUser(long courseId, long userId, long roleId) {
        CourseRow course = found(db.courses, courseId, "course");
        if (!course.hasManualInstance) throw new IllegalArgumentException("no manual instance in course " + courseId);
        found(db.users, userId, "user");
        if (!MoodleSite.ROLES.containsKey(roleId)) throw new IllegalArgumentException("no role " + roleId);
        EnrolmentRow old = db.enrolment(courseId, userId);
        EnrolmentRow row = old == null ? new EnrolmentRow() : old.copy();
        row.courseId = courseId;
        row.userId = userId;
        if (old == null) row.timecreated = cfg.now();
        row.roles.add(roleId);
        db.putEnrolment(row);
    }

    /** The participants page's "Edit enrolment": status suspended or active; dates and roles untouched. */
    void suspendEnrolment(long courseId, long userId, boolean suspended) {
        EnrolmentRow old = db.enrolment(courseId, userId);
        if (old == null) throw new IllegalArgumentException("user " + userId + " not enrolled in " + courseId);
        EnrolmentRow row = old.copy();
        row.status = suspended ? 1 : 0;
        db.putEnrolment(row);
    }

    static MoodleCourse view(CourseRow c) {
        return new MoodleCourse(c.id, c.shortname, c.fullname, c.idnumber, c.category, c.visible != 0, c.startdate,
                c.enddate, c.hasManualInstance, c.manualEnrolEnabled, c.sections);
    }

    static MoodleUser view(UserRow u) {
        return new MoodleUser(u.id, u.username, u.idnumber, u.firstname, u.lastname, u.email, u.auth, u.suspended,
                u.deleted, u.customfields);
    }

    MoodleCohort view(CohortRow c) {
        State.Ctx ctx = db.contexts.get(c.contextId);
        Long cat = ctx != null && ctx.level() == State.CONTEXT_COURSECAT ? ctx.instanceId() : null;
        return new MoodleCohort(c.id, c.idnumber, c.name, c.description, c.visible, c.contextId, cat, c.customfields);
    }

    /** Every user's value of a deleted profile field goes with it. */
    void dropProfileFieldValues(String shortname) {
        for (UserRow u : List.copyOf(db.users.values())) {
            if (u.customfields.containsKey(shortname)) {
                UserRow row = u.copy();
                row.customfields.remove(shortname);
                db.putUser(row);
            }
        }
    }
}
