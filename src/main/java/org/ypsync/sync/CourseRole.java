package org.ypsync.sync;

import java.util.Locale;

/** The role ypsync gives in a course: the group's students, the trainers of its timetable. */
public enum CourseRole {
    STUDENT, TEACHER;

    /** As log lines name it: student, teacher. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
