package org.ypsync.stage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ypsync.moodle.emulator.MoodleCourse;
import org.ypsync.moodle.emulator.MoodleEmulator;
import org.ypsync.store.Store;
import org.ypsync.sync.CourseLink;

/**
 * The emulated Moodle's courses as the course tests read them: each with its category's idnumber (for the categories
 * ypsync linked; the emulator has no category listing), and every course removed between tests.
 */
final class EmulatedCourses {
    /** A course as Moodle holds it; {@code categoryIdnumber} null for a category ypsync does not know. */
    record Course(long id, String idnumber, String shortname, String fullname, long categoryId,
                  String categoryIdnumber, long startdate, long enddate, boolean visible) {
    }

    private final MoodleEmulator moodle;
    private final Supplier<Store> store;

    EmulatedCourses(MoodleEmulator moodle, Supplier<Store> store) {
        this.moodle = moodle;
        this.store = store;
    }

    /** Every course but the front page, by id. */
    List<Course> courses() {
        Map<Long, String> categories = new HashMap<>();
        for (CourseLink l : store.get().courseLinks().categoryLinks().values()) {
            categories.put(l.moodleId(), l.idnumber());
        }
        return moodle.courses().stream().map(c -> new Course(c.id(), c.idnumber(), c.shortname(), c.fullname(),
                c.categoryId(), categories.get(c.categoryId()), c.startdate(), c.enddate(), c.visible())).toList();
    }

    /** Every course deleted, as by hand (categories stay: the next test adopts them by idnumber). */
    void clear() {
        for (MoodleCourse c : moodle.courses()) {
            moodle.deleteCourse(c.id());
        }
    }
}
