package org.ypsync.sync;

import java.util.Map;

/**
 * A course or course category ypsync manages: its idnumber, Moodle id and the fields last written (keys of
 * {@link DesiredCourse}; a category's name).
 */
public record CourseLink(String idnumber, long moodleId, Map<String, String> written) {
    public CourseLink {
        written = written == null ? Map.of() : Map.copyOf(written);
    }
}
