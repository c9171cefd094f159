package org.ypsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plans the enrolments of the courses ypsync manages against the enrolments it made: the people a course should
 * have are enrolled (or revived, when ypsync had suspended them); those it should no longer have are suspended,
 * never unenrolled (unenrolment purges their grades and submissions). Enrolments ypsync did not make never appear in
 * {@code current}, so they are never touched. Courses absent from {@code wanted} (groups no longer synced) keep
 * their enrolments as they are.
 */
public final class EnrolmentPlanner {
    private EnrolmentPlanner() {
    }

    /**
     * @param wanted    per course idnumber, the people it should have and their role
     * @param dates     per course idnumber, the enrolment dates ypsync means (missing: none)
     * @param current   per course idnumber, the enrolments ypsync made (for drift repair: as Moodle holds them)
     * @param moodleIds the Moodle user id of each person who has an account
     */
    public static EnrolmentPlan plan(Map<String, Map<UserKey, CourseRole>> wanted, Map<String, EnrolmentPlan.Dates> dates,
                                     Map<String, Map<UserKey, EnrolmentLink>> current, Map<UserKey, Long> moodleIds,
                                     double maxSuspensionShare, int minCourseSize) {
        Objects.requireNonNull(wanted, "wanted");
        List<EnrolmentPlan.Enrolment> enrols = new ArrayList<>();
        List<EnrolmentPlan.Enrolment> suspensions = new ArrayList<>();
        List<EnrolmentPlan.Enrolment> revivals = new ArrayList<>();
        List<EnrolmentPlan.Enrolment> dateChanges = new ArrayList<>();
        List<EnrolmentPlan.Skipped> skipped = new ArrayList<>();
        Map<String, String> guards = new TreeMap<>();
        int unchanged = 0;
        for (Map.Entry<String, Map<UserKey, CourseRole>> e : new TreeMap<>(wanted).entrySet()) {
            String course = e.getKey();
            EnrolmentPlan.Dates d = dates.getOrDefault(course, EnrolmentPlan.Dates.NONE);
            Map<UserKey, EnrolmentLink> have = current.getOrDefault(course, Map.of());
            for (UserKey k : new TreeSet<>(e.getValue().keySet())) {
                CourseRole role = e.getValue().get(k);
                EnrolmentLink link = have.get(k);
                Long id = moodleIds.get(k);
                if (link == null || (id != null && id != link.moodleUserId())) {
                    // never enrolled, or the account was made anew (the old enrolment went with the old account)
                    if (id == null) {
                        skipped.add(new EnrolmentPlan.Skipped(course, k, role, "not a Moodle user yet"));
                    } else {
                        enrols.add(new EnrolmentPlan.Enrolment(course, k, role, id, d.timestart(), d.timeend(), false));
                    }
                    continue;
                }
                EnrolmentPlan.Enrolment active = new EnrolmentPlan.Enrolment(course, k, role, link.moodleUserId(),
                        d.timestart(), d.timeend(), false);
                if (link.suspended()) {
                    revivals.add(active);
                } else if (link.timestart() != d.timestart() || link.timeend() != d.timeend()
                        || link.role() != role) {
                    dateChanges.add(active);
                } else {
                    unchanged++;
                }
            }
            int activeCount = 0;
            int suspending = 0;
            for (EnrolmentLink link : new TreeMap<>(have).values()) {
                if (link.suspended()) {
                    continue;
                }
                activeCount++;
                if (!e.getValue().containsKey(link.key())) {
                    suspending++;
                    // the same dates as meant, and suspend=1: their work stays in the course
                    suspensions.add(new EnrolmentPlan.Enrolment(course, link.key(), link.role(), link.moodleUserId(),
                            d.timestart(), d.timeend(), true));
                }
            }
            Guards.courseSuspensions(course, suspending, activeCount, maxSuspensionShare, minCourseSize)
                    .ifPresent(r -> guards.put(course, r));
        }
        return new EnrolmentPlan(enrols, suspensions, revivals, dateChanges, skipped, guards, unchanged);
    }
}
