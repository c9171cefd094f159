package org.ypsync.moodle.emulator;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The emulated site's state as tests read it, and the edits an administrator makes by hand in Moodle's UI (no
 * web-service checks, no counters: {@link AdminEdits}). {@link MoodleEmulator} is its only kind; the part of its
 * API kept here so that each file stays small. Every method takes the site lock.
 */
public abstract sealed class MoodleSiteState permits MoodleEmulator {
    final Object lock = new Object();
    final SiteConfig cfg = new SiteConfig();
    final MoodleSite site;
    final AdminEdits edits;

    MoodleSiteState(Collection<String> serviceFunctions) {
        cfg.serviceFunctions.addAll(serviceFunctions);
        site = new MoodleSite(cfg, "http://127.0.0.1", RestServer.newToken());
        edits = new AdminEdits(site);
    }

    final <T> T locked(Supplier<T> s) {
        synchronized (lock) {
            return s.get();
        }
    }

    final void edit(Runnable r) {
        synchronized (lock) {
            r.run();
        }
    }

    /** Every user row, by id: guest (1), admin (2), then created users; deleted ones have {@code deleted=true}. */
    public List<MoodleUser> users() {
        return locked(() -> site.db.users.values().stream().map(AdminEdits::view).toList());
    }

    public Optional<MoodleUser> user(long id) {
        return locked(() -> Optional.ofNullable(site.db.users.get(id)).map(AdminEdits::view));
    }

    public Optional<MoodleUser> userByUsername(String username) {
        return locked(() -> Optional.ofNullable(site.db.userByUsername(username)).map(AdminEdits::view));
    }

    /** Non-deleted users with this idnumber (idnumbers are not unique in Moodle). */
    public List<MoodleUser> usersByIdnumber(String idnumber) {
        return locked(() -> site.db.users.values().stream().filter(u -> !u.deleted && u.idnumber.equals(idnumber))
                .map(AdminEdits::view).toList());
    }

    /** Cohorts by id. */
    public List<MoodleCohort> cohorts() {
        return locked(() -> site.db.cohorts.values().stream().sorted((a, b) -> Long.compare(a.id, b.id))
                .map(edits::view).toList());
    }

    public Optional<MoodleCohort> cohort(long id) {
        return locked(() -> Optional.ofNullable(site.db.cohorts.get(id)).map(edits::view));
    }

    public List<MoodleCohort> cohortsByIdnumber(String idnumber) {
        return locked(() -> site.db.cohorts.values().stream().filter(c -> c.idnumber.equals(idnumber))
                .sorted((a, b) -> Long.compare(a.id, b.id)).map(edits::view).toList());
    }

    /** Member user ids of a cohort, ascending (empty if the cohort does not exist). */
    public Set<Long> members(long cohortId) {
        return locked(() -> new TreeSet<>(site.db.members.getOrDefault(cohortId, new LinkedHashMap<>()).keySet()));
    }

    /** User ids with a manual enrolment in the course, ascending. */
    public Set<Long> enrolledUserIds(long courseId) {
        return locked(() -> new TreeSet<>(site.db.enrolments.getOrDefault(courseId, new LinkedHashMap<>()).keySet()));
    }

    /** The manual enrolments of a course, by user id. */
    public List<MoodleEnrolment> enrolments(long courseId) {
        return locked(() -> site.db.enrolments.getOrDefault(courseId, new LinkedHashMap<>()).values().stream()
                .sorted((a, b) -> Long.compare(a.userId, b.userId))
                .map(e -> new MoodleEnrolment(e.courseId, e.userId, e.timestart, e.timeend, e.status != 0, e.roles))
                .toList());
    }

    /** Creates a user as an admin would by hand (no WS checks; ids from the same sequence). Returns its id. */
    public long createUser(String username, String firstname, String lastname, String email, String idnumber,
                           String auth) {
        return locked(() -> edits.createUser(username, firstname, lastname, email, idnumber, auth));
    }

    /** Edits a user as an admin would in the UI (no WS checks, no counters). */
    public void editUser(long id, UnaryOperator<MoodleUser> change) {
        edit(() -> edits.editUser(id, change));
    }

    /** Deletes a user as an admin would (Moodle's soft delete). */
    public void deleteUser(long id) {
        edit(() -> edits.deleteUser(id));
    }

    /** Creates a cohort in the system context by hand. Returns its id. */
    public long createCohort(String idnumber, String name) {
        return createCohort(idnumber, name, null);
    }

    /** Creates a cohort by hand in a category's context ({@code categoryId} null = system). */
    public long createCohort(String idnumber, String name, Long categoryId) {
        return locked(() -> edits.createCohort(idnumber, name, categoryId));
    }

    public void editCohort(long id, UnaryOperator<MoodleCohort> change) {
        edit(() -> edits.editCohort(id, change));
    }

    public void deleteCohort(long id) {
        edit(() -> site.db.removeCohort(id));
    }

    public void addMember(long cohortId, long userId) {
        edit(() -> edits.addMember(cohortId, userId));
    }

    public void removeMember(long cohortId, long userId) {
        edit(() -> site.db.removeMember(cohortId, userId));
    }

    /** Creates a top-level course category by hand. Returns its id. */
    public long createCategory(String name, String idnumber) {
        return locked(() -> edits.createCategory(name, idnumber));
    }

    /** Creates a course by hand (with an enabled manual enrolment instance). Returns its id. */
    public long createCourse(String shortname, String fullname, long categoryId, String idnumber) {
        return locked(() -> edits.createCourse(shortname, fullname, categoryId, idnumber));
    }

    /** Enables or disables the manual enrolment instance of a course (disabled: enrol gives wsnoinstance). */
    public void manualEnrolEnabled(long courseId, boolean enabled) {
        edit(() -> edits.manualEnrolEnabled(courseId, enabled));
    }

    /** Hides or shows a course by hand (a hidden course is not listed in its students' enrolledcourses). */
    public void courseVisible(long courseId, boolean visible) {
        edit(() -> edits.courseVisible(courseId, visible));
    }

    /** Deletes a course by hand, its enrolments with it. */
    public void deleteCourse(long courseId) {
        edit(() -> edits.deleteCourse(courseId));
    }

    /** Adds an activity to a section of a course by hand (missing sections up to it are created), e.g. a template's. */
    public void addActivity(long courseId, int section, String modname, String name) {
        edit(() -> edits.addActivity(courseId, section, modname, name));
    }

    /**
     * Enrols a user by hand in the course's manual instance with a role (an existing enrolment keeps its dates and
     * status and gains the role), as the participants page does.
     */
    public void enrolUser(long courseId, long userId, long roleId) {
        edit(() -> edits.enrolUser(courseId, userId, roleId));
    }

    /** Suspends ({@code true}) or reactivates a user's manual enrolment by hand; roles are untouched. */
    public void suspendEnrolment(long courseId, long userId, boolean suspended) {
        edit(() -> edits.suspendEnrolment(courseId, userId, suspended));
    }

    /** Every course but the front page, by id. */
    public List<MoodleCourse> courses() {
        return locked(() -> site.db.courses.values().stream().filter(c -> c.id != MoodleSite.SITE_COURSE_ID)
                .map(AdminEdits::view).toList());
    }

    public Optional<MoodleCourse> course(long id) {
        return locked(() -> Optional.ofNullable(site.db.courses.get(id)).filter(c -> c.id != MoodleSite.SITE_COURSE_ID)
                .map(AdminEdits::view));
    }

    public Optional<MoodleCourse> courseByShortname(String shortname) {
        return courses().stream().filter(c -> c.shortname().equals(shortname)).findFirst();
    }
}
