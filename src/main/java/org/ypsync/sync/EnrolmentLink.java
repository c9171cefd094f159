package org.ypsync.sync;

/**
 * An enrolment ypsync manages in one of its courses, as it last wrote it: the person, the role, the Moodle user id,
 * the dates sent (0: none) and whether it sent suspend=1.
 */
public record EnrolmentLink(String courseIdnumber, UserKey key, CourseRole role, long moodleUserId, long timestart,
                            long timeend, boolean suspended) {
    public EnrolmentLink withSuspended(boolean s) {
        return new EnrolmentLink(courseIdnumber, key, role, moodleUserId, timestart, timeend, s);
    }
}
