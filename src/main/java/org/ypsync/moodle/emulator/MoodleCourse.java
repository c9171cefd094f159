package org.ypsync.moodle.emulator;

import java.util.List;

/**
 * A snapshot of one emulated course: its keys, category, visibility and dates (0 = none), whether its manual
 * enrolment instance exists and is enabled, and its sections with their activities.
 */
public record MoodleCourse(long id, String shortname, String fullname, String idnumber, long categoryId,
                           boolean visible, long startdate, long enddate, boolean manualInstance,
                           boolean manualEnrolEnabled, List<MoodleSection> sections) {
    public MoodleCourse {
        sections = List.copyOf(sections);
    }
}
