package org.ypsync.moodle.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.ypsync.moodle.emulator.Records.CategoryRow;
import org.ypsync.moodle.emulator.Records.CohortRow;
import org.ypsync.moodle.emulator.Records.CourseRow;
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
        CourseRow row = found(db.courses, courseId, "course").copy();
        row.manualEnrolEnabled = enabled;
        db.putCourse(row);
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
