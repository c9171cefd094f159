package org.ypsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoursePlannerTest {
    static final DesiredCourse SIO = new DesiredCourse("CRS_846000", "G1-846000", "BTS SIO 1", "CAT_SITE_S1",
            1756684800L, 1783036800L);
    static final DesiredCourse MCO = new DesiredCourse("CRS_846001", "G2-846001", "BTS MCO 1", "CAT_SITE_S1", 0, 0);

    static CourseLink link(DesiredCourse c, long id) {
        return new CourseLink(c.idnumber(), id, c.written());
    }

    @Test
    void newCoursesAreCreatedAndKnownOnesUnchanged() {
        CoursePlan p = CoursePlanner.courses(List.of(MCO, SIO), Map.of("CRS_846000", link(SIO, 4)), Map.of(), false);
        assertEquals(List.of(new CoursePlan.Create(MCO)), p.creates());
        assertEquals(1, p.unchanged());
        assertTrue(p.updates().isEmpty() && p.left().isEmpty() && p.hides().isEmpty() && p.rejections().isEmpty());
        assertEquals(Map.of("idnumber", "CRS_846000", "shortname", "G1-846000", "fullname", "BTS SIO 1",
                "category", "CAT_SITE_S1", "startdate", "1756684800", "enddate", "1783036800"), SIO.written());
    }

    @Test
    void aChangedGroupIsAnUpdateOfTheChangedFieldsOnly() {
        DesiredCourse renamed = new DesiredCourse("CRS_846000", "G1-846000", "BTS SIO 1A", "CAT_SITE_S1",
                1756684800L, 1790000000L);
        CoursePlan p = CoursePlanner.courses(List.of(renamed), Map.of("CRS_846000", link(SIO, 4)), Map.of(), false);
        CoursePlan.Update u = p.updates().get(0);
        assertEquals(4, u.moodleId());
        assertEquals(Map.of("fullname", new FieldChange("BTS SIO 1", "BTS SIO 1A"),
                "enddate", new FieldChange("1783036800", "1790000000")), u.changes());
    }

    @Test
    void aCourseWithTheIdnumberIsAdoptedNeverDuplicated() {
        Map<String, String> handmade = new HashMap<>(SIO.written());
        handmade.put("fullname", "SIO (made by hand)");
        CoursePlan p = CoursePlanner.courses(List.of(SIO), Map.of(),
                Map.of("CRS_846000", new MoodleCourse(17, "CRS_846000", handmade)), false);
        assertTrue(p.creates().isEmpty());
        assertEquals(new CoursePlan.Adoption(SIO, 17, Map.of("fullname",
                new FieldChange("SIO (made by hand)", "BTS SIO 1"))), p.adoptions().get(0));
    }

    @Test
    void aCourseLinkedToAnotherIdnumberIsNotAdoptedTwice() {
        CoursePlan p = CoursePlanner.courses(List.of(MCO), Map.of("CRS_846000", link(SIO, 17)),
                Map.of("CRS_846001", new MoodleCourse(17, "CRS_846001", MCO.written())), false);
        assertEquals(1, p.rejections().size());
        assertTrue(p.rejections().get(0).reason().contains("already linked to [CRS_846000]"));
    }

    @Test
    void twoGroupsWithOneShortNameKeepTheFirstAndRejectTheOther() {
        DesiredCourse same = new DesiredCourse("CRS_846001", "G1-846000", "BTS MCO 1", "CAT_SITE_S1", 0, 0);
        CoursePlan p = CoursePlanner.courses(List.of(same, SIO), Map.of(), Map.of(), false);
        assertEquals(List.of(new CoursePlan.Create(SIO)), p.creates());
        assertEquals("CRS_846001", p.rejections().get(0).idnumber());
        assertTrue(p.rejections().get(0).reason().contains("[CRS_846000]"), p.rejections().toString());
    }

    @Test
    void invalidCoursesAreRejected() {
        DesiredCourse noCategory = new DesiredCourse("CRS_1", "X", "Y", "", 0, 0);
        DesiredCourse noName = new DesiredCourse("CRS_2", "X2", " ", "CAT", 0, 0);
        CoursePlan p = CoursePlanner.courses(List.of(noCategory, noName), Map.of(), Map.of(), false);
        assertEquals(2, p.rejections().size());
        assertTrue(p.creates().isEmpty());
    }

    @Test
    void coursesOfGroupsGoneAreLeftOrHiddenNeverDeleted() {
        Map<String, CourseLink> links = Map.of("CRS_846000", link(SIO, 4), "CRS_846001", link(MCO, 5));
        CoursePlan left = CoursePlanner.courses(List.of(SIO), links, Map.of(), false);
        assertEquals(List.of(link(MCO, 5)), left.left());
        assertTrue(left.hides().isEmpty());
        CoursePlan hidden = CoursePlanner.courses(List.of(SIO), links, Map.of(), true);
        assertEquals(List.of(link(MCO, 5)), hidden.hides());
        // once hidden, it stays as it is
        Map<String, String> written = new HashMap<>(MCO.written());
        written.put("visible", "0");
        CoursePlan again = CoursePlanner.courses(List.of(SIO), Map.of("CRS_846000", link(SIO, 4), "CRS_846001",
                new CourseLink("CRS_846001", 5, written)), Map.of(), true);
        assertTrue(again.hides().isEmpty());
        assertEquals(1, again.left().size());
        // and shown again when its group comes back
        CoursePlan back = CoursePlanner.courses(List.of(MCO), Map.of("CRS_846001", new CourseLink("CRS_846001", 5,
                written)), Map.of(), true);
        assertEquals(Map.of("visible", new FieldChange("0", "1")), back.updates().get(0).changes());
    }

    @Test
    void categoriesAreCreatedWhenMissingAndAdoptedWhenFound() {
        DesiredCategory s1 = new DesiredCategory("CAT_SITE_S1", "Site 1");
        DesiredCategory s2 = new DesiredCategory("CAT_SITE_S2", "Site 2");
        DesiredCategory s3 = new DesiredCategory("CAT_SITE_S3", "Site 3");
        CoursePlan.Categories p = CoursePlanner.categories(List.of(s3, s1, s2, s1),
                Map.of("CAT_SITE_S1", new CourseLink("CAT_SITE_S1", 2, Map.of()),
                        "CAT_SITE_S3", new CourseLink("CAT_SITE_S3", 9, Map.of())),
                Map.of("CAT_SITE_S1", 2L, "CAT_SITE_S2", 7L));
        assertEquals(1, p.unchanged());
        assertEquals(Map.of(s2, 7L), p.adoptions());
        assertEquals(List.of(s3), p.creates(), "a linked category deleted by hand is made again");
    }

    @Test
    void templatesNameTheGroupsFieldsAndRefuseUnknownOnes() {
        CourseTemplate t = new CourseTemplate("sync.courses.shortname", "{prefix}{abregeGroupe}-{codeGroupe}");
        assertEquals("1_G1-846000", t.apply(Map.of("prefix", "1_", "abregeGroupe", "G1", "codeGroupe", "846000")));
        assertEquals("-846000", t.apply(Map.of("codeGroupe", "846000")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CourseTemplate("sync.courses.fullname", "{nomGroup}"));
        assertTrue(e.getMessage().contains("{nomGroup}"), e.getMessage());
    }

    @Test
    void courseAndCategoryIdnumbersFollowTheInstancePrefixRule() {
        assertEquals("CRS_846000", Naming.courseIdnumber(0, "846000"));
        assertEquals("2_CRS_846000", Naming.courseIdnumber(2, "846000"));
        assertEquals("1_CAT_SITE_S1", Naming.siteCategoryIdnumber(1, "S1"));
        assertEquals("CAT_FRM_101", Naming.trainingCategoryIdnumber(0, "101"));
    }
}
