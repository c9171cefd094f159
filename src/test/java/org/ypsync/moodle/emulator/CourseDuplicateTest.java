package org.ypsync.moodle.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ypsync.moodle.emulator.WsCalls.errorcode;

/** core_course_duplicate_course and core_course_update_courses as Moodle 4.4's course/externallib.php has them. */
class CourseDuplicateTest {
    private MoodleEmulator emu;
    private WsCalls ws;
    private long cat;
    private long template;

    @BeforeEach
    void start() {
        emu = new MoodleEmulator().start();
        ws = new WsCalls(emu);
        cat = emu.createCategory("Templates", "CAT_TPL");
        template = emu.createCourse("TPL-BTS", "Template BTS", cat, "TPL_BTS");
        emu.addActivity(template, 0, "forum", "Announcements");
        emu.addActivity(template, 1, "assign", "Devoir 1");
        emu.addActivity(template, 2, "page", "Cours 2");
    }

    @AfterEach
    void stop() {
        emu.stop();
    }

    private JsonNode duplicate(String shortname, String... extra) {
        String[] base = {"courseid", String.valueOf(template), "fullname", "BTS SIO 2025", "shortname", shortname,
                "categoryid", String.valueOf(cat)};
        return ws.call("core_course_duplicate_course", WsCalls.concat(base, extra));
    }

    @Test
    void aCopyHasTheTemplatesContentItsOwnManualInstanceAndNoIdnumber() {
        long student = ws.createUser("s1", "S1");
        emu.enrolUser(template, student, 5);
        emu.manualEnrolEnabled(template, false);
        JsonNode r = duplicate("CRS_G1", "options[0][name]", "users", "options[0][value]", "0");
        long id = r.get("id").asLong();
        assertEquals("CRS_G1", r.get("shortname").asText());
        assertEquals(2, r.size(), "the answer is {id, shortname}");

        MoodleCourse copy = emu.course(id).orElseThrow();
        assertEquals(emu.course(template).orElseThrow().sections(), copy.sections());
        assertEquals(List.of("Announcements", "Devoir 1", "Cours 2"), copy.sections().stream()
                .flatMap(s -> s.activities().stream()).map(MoodleSection.Activity::name).toList());
        assertEquals("", copy.idnumber(), "the restore blanks an idnumber the site already has");
        assertEquals("BTS SIO 2025", copy.fullname());
        assertTrue(copy.visible(), "visible defaults to 1");
        assertTrue(copy.manualInstance() && copy.manualEnrolEnabled(), "a new, enabled manual instance");
        assertEquals(Set.of(), emu.enrolledUserIds(id), "users=0: nobody of the template is enrolled");
        assertEquals(1, emu.itemsWritten("core_course_duplicate_course", "created"));

        // the stage sets the idnumber and dates next
        JsonNode upd = ws.call("core_course_update_courses", "courses[0][id]", String.valueOf(id),
                "courses[0][idnumber]", "CRS_G1", "courses[0][startdate]", "1756684800",
                "courses[0][enddate]", "1788220800");
        assertEquals(0, upd.get("warnings").size(), upd.toString());
        JsonNode read = ws.call("core_course_get_courses_by_field", "field", "idnumber", "value", "CRS_G1");
        assertEquals(id, read.get("courses").get(0).get("id").asLong());
        assertEquals(1756684800L, read.get("courses").get(0).get("startdate").asLong());
        assertEquals(List.of("manual"), List.of(read.get("courses").get(0).get("enrollmentmethods").get(0).asText()));
    }

    @Test
    void withoutUsersZeroTheBackupPlanDefaultCopiesTheTemplatesEnrolments() {
        long teacher = ws.createUser("t1", "T1");
        emu.enrolUser(template, teacher, 3);
        long id = duplicate("CRS_G2").get("id").asLong();
        assertEquals(List.of(new MoodleEnrolment(id, teacher, 0, 0, false, Set.of(3L))), emu.enrolments(id));
    }

    @Test
    void optionsVisibleAndActivities() {
        long id = duplicate("CRS_G3", "visible", "0", "options[0][name]", "activities", "options[0][value]", "0",
                "options[1][name]", "users", "options[1][value]", "0").get("id").asLong();
        MoodleCourse copy = emu.course(id).orElseThrow();
        assertFalse(copy.visible());
        assertEquals(3, copy.sections().size(), "sections are kept");
        assertTrue(copy.sections().stream().allMatch(s -> s.activities().isEmpty()), "activities=0: none");
        assertEquals("invalidextparam", errorcode(duplicate("CRS_G4", "options[0][name]", "users",
                "options[0][value]", "2")));
        assertEquals("invalidextparam", errorcode(duplicate("CRS_G4", "options[0][name]", "groups",
                "options[0][value]", "1")));
        assertEquals("invalidparameter", errorcode(duplicate("CRS_G4", "options[0][name]", "users2",
                "options[0][value]", "1")), "names are PARAM_ALPHAEXT");
        assertTrue(emu.courseByShortname("CRS_G4").isEmpty());
    }

    @Test
    void duplicateErrors() {
        emu.createCourse("CRS_TAKEN", "Already here", cat, null);
        JsonNode taken = duplicate("CRS_TAKEN");
        assertEquals("shortnametaken", errorcode(taken));
        assertEquals("Short name is already used for another course (Already here)", taken.get("message").asText(),
                "names the full name of the course holding it");
        assertEquals("invalidcourseid", errorcode(ws.call("core_course_duplicate_course", "courseid", "999",
                "fullname", "X", "shortname", "X", "categoryid", String.valueOf(cat))));
        assertEquals("invalidrecord", errorcode(ws.call("core_course_duplicate_course", "courseid",
                String.valueOf(template), "fullname", "X", "shortname", "X", "categoryid", "999")));
        assertEquals(2, emu.courses().size(), "nothing created");
    }

    @Test
    void duplicateIsOutsideTheRecordedService() {
        assertTrue(emu.serviceFunctions().contains("core_course_duplicate_course"));
        emu.serviceFunctions(MoodleEmulator.TRANSCRIPT_SERVICE_FUNCTIONS);
        assertEquals("accessexception", errorcode(duplicate("CRS_G5")));
    }

    @Test
    void updateCoursesChecksOnlyChangedKeysAndSetsVisibility() {
        long a = emu.createCourse("A", "Course A", cat, "CRS_A");
        long b = emu.createCourse("B", "Course B", cat, "CRS_B");
        JsonNode r = ws.call("core_course_update_courses",
                "courses[0][id]", String.valueOf(b), "courses[0][idnumber]", "CRS_A",
                "courses[1][id]", String.valueOf(b), "courses[1][shortname]", "A",
                "courses[2][id]", String.valueOf(a), "courses[2][visible]", "0");
        assertEquals(2, r.get("warnings").size(), r.toString());
        assertEquals("courseidnumbertaken", r.get("warnings").get(0).get("warningcode").asText());
        assertEquals(b, r.get("warnings").get(0).get("itemid").asLong());
        assertEquals("shortnametaken", r.get("warnings").get(1).get("warningcode").asText());
        assertFalse(emu.course(a).orElseThrow().visible(), "the valid entry is applied");
        assertEquals("CRS_B", emu.course(b).orElseThrow().idnumber());

        // two courses share an idnumber by hand: re-sending a course's own idnumber is not a change, not checked
        long c = emu.createCourse("C", "Course C", cat, "CRS_A");
        assertEquals(0, ws.call("core_course_update_courses", "courses[0][id]", String.valueOf(c),
                "courses[0][idnumber]", "CRS_A", "courses[0][fullname]", "Course C2").get("warnings").size());
        assertEquals("Course C2", emu.course(c).orElseThrow().fullname());
    }

    @Test
    void updateCoursesValidatesTheDatesItIsSent() {
        long a = emu.createCourse("A", "Course A", cat, "CRS_A");
        JsonNode r = ws.call("core_course_update_courses", "courses[0][id]", String.valueOf(a),
                "courses[0][startdate]", "1788220800", "courses[0][enddate]", "1756684800",
                "courses[1][id]", String.valueOf(a), "courses[1][enddate]", "1756684800");
        assertEquals("enddatebeforestartdate", r.get("warnings").get(0).get("warningcode").asText());
        assertEquals("nostartdatenoenddate", r.get("warnings").get(1).get("warningcode").asText(),
                "an end date alone is refused: the check sees only the sent fields");
        assertEquals(0, emu.course(a).orElseThrow().enddate());
    }
}
