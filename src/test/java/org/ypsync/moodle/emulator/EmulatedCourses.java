package org.ypsync.moodle.emulator;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the course scenario tests read and edit by hand in the emulated Moodle's courses: the courses as rows, a
 * course deleted or an enrolment suspended as an administrator would, and every course and category but the
 * front page and Miscellaneous removed between tests. (Until the emulator's own AdminEdits for courses.)
 */
public final class EmulatedCourses {
    /** A course as Moodle holds it. */
    public record Course(long id, String idnumber, String shortname, String fullname, long categoryId,
                         String categoryIdnumber, long startdate, long enddate, boolean visible) {
    }

    private final MoodleEmulator moodle;
    private final MoodleSite site;
    private final Object lock;

    public EmulatedCourses(MoodleEmulator moodle) {
        this.moodle = moodle;
        this.site = (MoodleSite) field("site");
        this.lock = field("lock");
    }

    private Object field(String name) {
        try {
            Field f = MoodleEmulator.class.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(moodle);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T locked(Supplier<T> s) {
        synchronized (lock) {
            return s.get();
        }
    }

    /** Every course but the front page, by id. */
    public List<Course> courses() {
        return locked(() -> {
            List<Course> out = new ArrayList<>();
            for (Records.CourseRow c : site.db.courses.values()) {
                if (c.id != MoodleSite.SITE_COURSE_ID) {
                    Records.CategoryRow cat = site.db.categories.get(c.category);
                    out.add(new Course(c.id, c.idnumber, c.shortname, c.fullname, c.category,
                            cat == null ? null : cat.idnumber, c.startdate, c.enddate, c.visible != 0));
                }
            }
            return out;
        });
    }

    /** Deletes a course by hand, with its enrolments. */
    public void deleteCourse(long id) {
        locked(() -> {
            site.db.courses.remove(id);
            site.db.enrolments.remove(id);
            return null;
        });
    }

    /** Suspends (or re-activates) an enrolment by hand, its dates kept. */
    public void suspendEnrolment(long courseId, long userId, boolean suspended) {
        locked(() -> {
            Records.EnrolmentRow e = site.db.enrolment(courseId, userId).copy();
            e.status = suspended ? 1 : 0;
            site.db.putEnrolment(e);
            return null;
        });
    }

    /** Enrols a user by hand (active, no dates) with a role id. */
    public void enrol(long courseId, long userId, long roleId) {
        locked(() -> {
            Records.EnrolmentRow e = new Records.EnrolmentRow();
            e.courseId = courseId;
            e.userId = userId;
            e.roles.add(roleId);
            site.db.putEnrolment(e);
            return null;
        });
    }

    /** Removes every course but the front page, every category but Miscellaneous, and their enrolments. */
    public void clear() {
        locked(() -> {
            site.db.courses.keySet().removeIf(id -> id != MoodleSite.SITE_COURSE_ID);
            site.db.enrolments.clear();
            site.db.categories.keySet().removeIf(id -> id != 1L);
            return null;
        });
    }
}
