package org.ypsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnrolmentPlannerTest {
    static final String C1 = "CRS_846000";
    static final String C2 = "CRS_846001";
    static final UserKey ANNA = new UserKey(0, UserKind.STUDENT, "10007");
    static final UserKey BOB = new UserKey(0, UserKind.STUDENT, "10014");
    static final UserKey TOM = new UserKey(0, UserKind.TEACHER, "510000");
    static final Map<UserKey, Long> IDS = Map.of(ANNA, 30L, BOB, 31L, TOM, 40L);
    static final EnrolmentPlan.Dates DATES = new EnrolmentPlan.Dates(1756684800L, 1783036800L);

    static EnrolmentLink link(String course, UserKey k, CourseRole role, boolean suspended) {
        return new EnrolmentLink(course, k, role, IDS.get(k), DATES.timestart(), DATES.timeend(), suspended);
    }

    static EnrolmentPlan plan(Map<String, Map<UserKey, CourseRole>> wanted,
                              Map<String, Map<UserKey, EnrolmentLink>> current) {
        return EnrolmentPlanner.plan(wanted, Map.of(C1, DATES, C2, DATES), current, IDS, 0.5, 0);
    }

    @Test
    void firstLoadEnrolsStudentsAndTrainersWithTheDatesMeant() {
        EnrolmentPlan p = plan(Map.of(C1, Map.of(ANNA, CourseRole.STUDENT, TOM, CourseRole.TEACHER)), Map.of());
        assertEquals(List.of(new EnrolmentPlan.Enrolment(C1, ANNA, CourseRole.STUDENT, 30, 1756684800L, 1783036800L,
                false), new EnrolmentPlan.Enrolment(C1, TOM, CourseRole.TEACHER, 40, 1756684800L, 1783036800L,
                false)), p.enrols());
        assertTrue(p.suspensions().isEmpty() && p.revivals().isEmpty() && p.guards().isEmpty());
    }

    @Test
    void nothingChangedPlansNothing() {
        EnrolmentPlan p = plan(Map.of(C1, Map.of(ANNA, CourseRole.STUDENT)),
                Map.of(C1, Map.of(ANNA, link(C1, ANNA, CourseRole.STUDENT, false))));
        assertTrue(p.hasNoWrites());
        assertEquals(1, p.unchanged());
    }

    @Test
    void aStudentWhoMovesIsSuspendedInTheOldCourseWithTheSameDatesAndEnrolledInTheNew() {
        EnrolmentPlan p = plan(Map.of(C1, Map.of(BOB, CourseRole.STUDENT), C2, Map.of(ANNA, CourseRole.STUDENT)),
                Map.of(C1, Map.of(ANNA, link(C1, ANNA, CourseRole.STUDENT, false),
                        BOB, link(C1, BOB, CourseRole.STUDENT, false))));
        assertEquals(List.of(new EnrolmentPlan.Enrolment(C1, ANNA, CourseRole.STUDENT, 30, 1756684800L, 1783036800L,
                true)), p.suspensions(), "suspend=1 with the dates: never an unenrolment");
        assertEquals(List.of(new EnrolmentPlan.Enrolment(C2, ANNA, CourseRole.STUDENT, 30, 1756684800L, 1783036800L,
                false)), p.enrols());
        assertEquals(1, p.unchanged());
    }

    @Test
    void someoneBackIsRevivedAndASuspendedOneStaysSuspended() {
        EnrolmentPlan p = plan(Map.of(C1, Map.of(ANNA, CourseRole.STUDENT)),
                Map.of(C1, Map.of(ANNA, link(C1, ANNA, CourseRole.STUDENT, true),
                        BOB, link(C1, BOB, CourseRole.STUDENT, true))));
        assertEquals(List.of(new EnrolmentPlan.Enrolment(C1, ANNA, CourseRole.STUDENT, 30, 1756684800L, 1783036800L,
                false)), p.revivals());
        assertTrue(p.suspensions().isEmpty(), "already suspended: nothing to send");
    }

    @Test
    void newDatesAreSentAgainActive() {
        EnrolmentLink old = new EnrolmentLink(C1, ANNA, CourseRole.STUDENT, 30, 0, 0, false);
        EnrolmentPlan p = plan(Map.of(C1, Map.of(ANNA, CourseRole.STUDENT)), Map.of(C1, Map.of(ANNA, old)));
        assertEquals(1, p.dateChanges().size());
        assertEquals(1783036800L, p.dateChanges().get(0).timeend());
    }

    @Test
    void coursesNoLongerSyncedKeepTheirEnrolments() {
        EnrolmentPlan p = plan(Map.of(), Map.of(C1, Map.of(ANNA, link(C1, ANNA, CourseRole.STUDENT, false))));
        assertTrue(p.hasNoWrites());
    }

    @Test
    void peopleWithoutAnAccountAreSkipped() {
        UserKey nobody = new UserKey(0, UserKind.STUDENT, "99");
        EnrolmentPlan p = plan(Map.of(C1, Map.of(nobody, CourseRole.STUDENT)), Map.of());
        assertEquals(List.of(new EnrolmentPlan.Skipped(C1, nobody, CourseRole.STUDENT, "not a Moodle user yet")),
                p.skipped());
    }

    @Test
    void anAccountMadeAnewIsEnrolledAgain() {
        EnrolmentLink old = new EnrolmentLink(C1, ANNA, CourseRole.STUDENT, 12, DATES.timestart(), DATES.timeend(),
                false);
        EnrolmentPlan p = plan(Map.of(C1, Map.of(ANNA, CourseRole.STUDENT)), Map.of(C1, Map.of(ANNA, old)));
        assertEquals(30, p.enrols().get(0).moodleUserId());
    }

    @Test
    void suspendingMoreThanTheShareOfACoursesActiveEnrolmentsTripsTheGuard() {
        Map<UserKey, EnrolmentLink> have = new HashMap<>();
        Map<UserKey, Long> ids = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            UserKey k = new UserKey(0, UserKind.STUDENT, String.valueOf(100 + i));
            ids.put(k, 100L + i);
            have.put(k, new EnrolmentLink(C1, k, CourseRole.STUDENT, 100 + i, 0, 0, i >= 8));
        }
        Map<UserKey, CourseRole> keep = new HashMap<>();
        have.keySet().stream().sorted().limit(3).forEach(k -> keep.put(k, CourseRole.STUDENT));
        // 8 active, 3 kept: 5 suspensions > max(1, floor(0.5 x 8)) = 4
        EnrolmentPlan p = EnrolmentPlanner.plan(Map.of(C1, keep), Map.of(), Map.of(C1, have), ids, 0.5, 5);
        assertEquals(5, p.suspensions().size());
        assertTrue(p.guards().get(C1).contains("would suspend 5 of its 8 active enrolments"), p.guards().toString());
        // a course smaller than the minimum is not guarded
        EnrolmentPlan small = EnrolmentPlanner.plan(Map.of(C1, keep), Map.of(), Map.of(C1, have), ids, 0.5, 9);
        assertTrue(small.guards().isEmpty());
    }

    @Test
    void logLinesHaveThePluginsShape() {
        assertEquals("Enrolment student added: [apprenant10007] [CRS_846000]",
                SyncLog.enrolment(CourseRole.STUDENT, "added", "apprenant10007", C1));
        assertEquals("Course created: BTS SIO 1 [CRS_846000]", SyncLog.course("created", "BTS SIO 1", C1));
        EnrolmentPlan p = plan(Map.of(C1, Map.of(ANNA, CourseRole.STUDENT)), Map.of());
        String text = PlanText.render(p, false);
        assertTrue(text.contains("enrol student student 10007 (Moodle user id 30) in [CRS_846000]"), text);
        assertTrue(text.contains("Enrolments: 1 added, 0 suspended"), text);
    }
}
