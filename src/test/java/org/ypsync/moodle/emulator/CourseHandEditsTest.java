package org.ypsync.moodle.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Courses made, hidden and deleted by hand are what the web services then see. */
class CourseHandEditsTest {
    private MoodleEmulator emu;
    private WsCalls ws;
    private long cat;

    @BeforeEach
    void start() {
        emu = new MoodleEmulator().start();
        ws = new WsCalls(emu);
        cat = emu.createCategory("BTS", "CAT_BTS");
    }

    @AfterEach
    void stop() {
        emu.stop();
    }

    private JsonNode byField(String field, String value) {
        return ws.call("core_course_get_courses_by_field", "field", field, "value", value).get("courses");
    }

    @Test
    void aHandMadeCourseWithOrWithoutIdnumber() {
        long with = emu.createCourse("G1", "Groupe 1", cat, "CRS_G1");
        long without = emu.createCourse("G2", "Groupe 2", cat, null);
        assertEquals(with, byField("idnumber", "CRS_G1").get(0).get("id").asLong());
        assertEquals("", byField("shortname", "G2").get(0).get("idnumber").asText());
        assertEquals(List.of(with, without), emu.courses().stream().map(MoodleCourse::id).toList());
        MoodleCourse c = emu.courseByShortname("G2").orElseThrow();
        assertEquals(new MoodleCourse(without, "G2", "Groupe 2", "", cat, true, 0, 0, true, true,
                List.of(new MoodleSection(0, "", List.of()))), c);
        assertEquals(0, emu.itemsWritten());
    }

    @Test
    void hiddenAndDeletedCourses() {
        long id = emu.createCourse("G1", "Groupe 1", cat, "CRS_G1");
        long u = ws.createUser("ann", "A1");
        emu.enrolUser(id, u, 5);
        emu.courseVisible(id, false);
        assertEquals(0, byField("id", String.valueOf(id)).get(0).get("visible").asLong());
        emu.deleteCourse(id);
        assertEquals(0, byField("idnumber", "CRS_G1").size());
        assertEquals(Set.of(), emu.enrolledUserIds(id));
        assertTrue(emu.course(id).isEmpty());
        assertEquals("invalidrecord", WsCalls.errorcode(ws.call("core_enrol_get_enrolled_users", "courseid",
                String.valueOf(id))));
        assertThrows(IllegalArgumentException.class, () -> emu.deleteCourse(id));
        // the shortname and idnumber are free again
        assertTrue(ws.call("core_course_create_courses", "courses[0][fullname]", "G1 bis", "courses[0][shortname]",
                "G1", "courses[0][categoryid]", String.valueOf(cat), "courses[0][idnumber]", "CRS_G1").isArray());
    }
}
