package org.ypsync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ypsync.sync.CourseLink;
import org.ypsync.sync.CourseRole;
import org.ypsync.sync.EnrolmentLink;
import org.ypsync.sync.UserKey;
import org.ypsync.sync.UserKind;

/** The courses stage's links (V14), on H2 and on the real PostgreSQL. */
class CourseLinkRepositoryTest {
    private static final UserKey ANNA = new UserKey(1, UserKind.STUDENT, "10007");
    private static final UserKey TOM = new UserKey(0, UserKind.TEACHER, "510000");

    @EachDatabase
    void coursesCategoriesAndEnrolmentsAreKeptAndForgotten(String database) {
        try (Store store = TestDatabases.open(database)) {
            CourseLinkRepository repo = store.courseLinks();
            repo.saveCategoryLink(new CourseLink("CAT_SITE_S1", 2, Map.of("name", "Site 1")));
            repo.saveCourseLink(new CourseLink("CRS_846000", 7, Map.of("shortname", "G1-846000", "startdate", "0")));
            repo.saveCourseLink(new CourseLink("CRS_846000", 7, Map.of("shortname", "G1-846000", "visible", "0")));
            assertEquals(Map.of("CAT_SITE_S1", new CourseLink("CAT_SITE_S1", 2, Map.of("name", "Site 1"))),
                    repo.categoryLinks());
            assertEquals(Map.of("shortname", "G1-846000", "visible", "0"), repo.courseLinks().get("CRS_846000").written());

            EnrolmentLink anna = new EnrolmentLink("CRS_846000", ANNA, CourseRole.STUDENT, 30, 1756684800L,
                    1783036800L, false);
            EnrolmentLink tom = new EnrolmentLink("CRS_846000", TOM, CourseRole.TEACHER, 40, 0, 0, false);
            repo.saveEnrolment(anna, 7, 5);
            repo.saveEnrolment(tom, 7, 3);
            repo.saveEnrolment(anna.withSuspended(true), 7, 5);
            assertEquals(Map.of("CRS_846000", Map.of(ANNA, anna.withSuspended(true), TOM, tom)),
                    repo.enrolments(List.of("CRS_846000", "CRS_846001")));
            assertTrue(repo.enrolments(Set.of("CRS_846001")).isEmpty());

            repo.forgetEnrolment("CRS_846000", TOM);
            assertEquals(Set.of(ANNA), repo.enrolments(List.of("CRS_846000")).get("CRS_846000").keySet());
            repo.forgetCourse("CRS_846000");
            assertTrue(repo.courseLinks().isEmpty());
            assertTrue(repo.enrolments(List.of("CRS_846000")).isEmpty());
        }
    }
}
