package org.ypsync.sync;

import java.util.List;
import java.util.Map;

/**
 * Enrolment writes of one run, each a full enrol_manual_enrol_users entry as ypsync means it (dates and suspend
 * always sent: a re-send without them would clear the dates and re-activate the enrolment). guards: course idnumber
 * to the reason its suspensions would be too many (the stage then writes no enrolment unless --force).
 */
public record EnrolmentPlan(List<Enrolment> enrols, List<Enrolment> suspensions, List<Enrolment> revivals,
                            List<Enrolment> dateChanges, List<Skipped> skipped, Map<String, String> guards,
                            int unchanged) {

    public EnrolmentPlan {
        enrols = List.copyOf(enrols);
        suspensions = List.copyOf(suspensions);
        revivals = List.copyOf(revivals);
        dateChanges = List.copyOf(dateChanges);
        skipped = List.copyOf(skipped);
        guards = Map.copyOf(guards);
    }

    public boolean hasNoWrites() {
        return enrols.isEmpty() && suspensions.isEmpty() && revivals.isEmpty() && dateChanges.isEmpty();
    }

    /** One enrolment as sent; {@link #link} is what ypsync remembers once Moodle took it. */
    public record Enrolment(String courseIdnumber, UserKey key, CourseRole role, long moodleUserId, long timestart,
                            long timeend, boolean suspend) {
        public EnrolmentLink link() {
            return new EnrolmentLink(courseIdnumber, key, role, moodleUserId, timestart, timeend, suspend);
        }
    }

    /** Someone the course should have who is no Moodle user yet: reported, not an error. */
    public record Skipped(String courseIdnumber, UserKey key, CourseRole role, String reason) {
    }

    /** The dates ypsync means for the enrolments of a course (0: none). */
    public record Dates(long timestart, long timeend) {
        public static final Dates NONE = new Dates(0, 0);
    }
}
