package org.ypsync.moodle.emulator;

import java.util.Set;

/** A snapshot of one manual enrolment: dates (0 = none), whether it is suspended, and the role ids assigned. */
public record MoodleEnrolment(long courseId, long userId, long timestart, long timeend, boolean suspended,
                              Set<Long> roleIds) {
    public MoodleEnrolment {
        roleIds = Set.copyOf(roleIds);
    }
}
