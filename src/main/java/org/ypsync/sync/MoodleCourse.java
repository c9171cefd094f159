package org.ypsync.sync;

import java.util.Map;

/**
 * A course as Moodle holds it (core_course_get_courses_by_field), its fields under the keys of
 * {@link DesiredCourse} (the category by idnumber, as far as the stage knows it).
 */
public record MoodleCourse(long id, String idnumber, Map<String, String> fields) {
    public MoodleCourse {
        fields = Map.copyOf(fields);
    }
}
