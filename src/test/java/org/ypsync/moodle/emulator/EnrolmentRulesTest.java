package org.ypsync.moodle.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ypsync.moodle.emulator.WsCalls.concat;
import static org.ypsync.moodle.emulator.WsCalls.enrolment;
import static org.ypsync.moodle.emulator.WsCalls.errorcode;

/**
 * enrol_manual_enrol_users and core_enrol_get_enrolled_users as Moodle 4.4 has them (enrol/manual/externallib.php,
 * lib/enrollib.php enrol_user, get_enrolled_join, user_get_user_details), and the enrolment hand edits.
 */
class EnrolmentRulesTest {
    private MoodleEmulator emu;
    private WsCalls ws;
    private long course;
    private long ann;
    private long bob;

    @BeforeEach
    void start() {
        emu = new MoodleEmulator().start();
        ws = new WsCalls(emu);
        course = emu.createCourse("CRS_G1", "Groupe 1", emu.createCategory("BTS", "CAT_BTS"), "CRS_G1");
        ann = ws.createUser("ann", "A1");
        bob = ws.createUser("bob", "B1");
    }

    @AfterEach
    void stop() {
        emu.stop();
    }

    private JsonNode enrol(String... fields) {
        return ws.call("enrol_manual_enrol_users", fields);
    }

    private JsonNode enrolled(String... options) {
        List<String> kv = new ArrayList<>(List.of("courseid", String.valueOf(course)));
        for (int i = 0; i < options.length; i += 2) {
            kv.addAll(List.of("options[" + i / 2 + "][name]", options[i], "options[" + i / 2 + "][value]",
                    options[i + 1]));
        }
        return ws.call("core_enrol_get_enrolled_users", kv.toArray(new String[0]));
    }

    private static List<Long> ids(JsonNode users) {
        List<Long> out = new ArrayList<>();
        users.forEach(u -> out.add(u.get("id").asLong()));
        return out;
    }

    @Test
    void onlyTheRolesAnAdminMayAssignInACourse() {
        for (long role : List.of(2L, 6L, 7L, 8L, 99L)) {
            assertEquals("wsusercannotassign", errorcode(enrol(enrolment(0, role, ann, course))), "role " + role);
        }
        for (long role : List.of(1L, 3L, 4L, 5L)) {
            assertTrue(enrol(enrolment(0, role, ann, course)).isNull(), "role " + role);
        }
        assertEquals(Set.of(1L, 3L, 4L, 5L), emu.enrolments(course).get(0).roleIds());
    }

    @Test
    void theBatchIsOneTransaction() {
        JsonNode r = enrol(concat(enrolment(0, 5, ann, course), enrolment(1, 7, bob, course)));
        assertEquals("wsusercannotassign", errorcode(r));
        assertEquals(Set.of(), emu.enrolledUserIds(course), "the first enrolment is rolled back");
        assertEquals("codingerror", errorcode(enrol(concat(enrolment(0, 5, ann, course),
                enrolment(1, 5, 99999, course)))));
        assertEquals(Set.of(), emu.enrolledUserIds(course));
        assertEquals(0, emu.itemsWritten("enrolled"));
    }

    @Test
    void aDisabledOrMissingManualInstanceIsWsnoinstance() {
        emu.manualEnrolEnabled(course, false);
        assertEquals("wsnoinstance", errorcode(enrol(enrolment(0, 5, ann, course))));
        assertFalse(emu.course(course).orElseThrow().manualEnrolEnabled());
        emu.manualEnrolEnabled(course, true);
        assertTrue(enrol(enrolment(0, 5, ann, course)).isNull());
        assertEquals("wsnoinstance", errorcode(enrol(enrolment(0, 5, ann, 1))), "the front page has none");
    }

    @Test
    void reEnrolIsAnUpdateThatClearsDatesReactivatesAndAddsTheRole() {
        enrol(enrolment(0, 5, ann, course, "timestart", "1704067200", "timeend", "4102444800", "suspend", "1"));
        assertEquals(List.of(new MoodleEnrolment(course, ann, 1704067200, 4102444800L, true, Set.of(5L))),
                emu.enrolments(course));
        enrol(enrolment(0, 3, ann, course));
        assertEquals(List.of(new MoodleEnrolment(course, ann, 0, 0, false, Set.of(5L, 3L))), emu.enrolments(course),
                "omitted dates written as 0, omitted suspend = active, a second role is added");
        JsonNode roles = enrolled().get(0).get("roles");
        assertEquals(2, roles.size());
        assertEquals(3, roles.get(0).get("roleid").asLong(), "ordered by the role's sortorder");
        assertEquals("editingteacher", roles.get(0).get("shortname").asText());
        assertEquals("", roles.get(0).get("name").asText());
        assertEquals(0, roles.get(0).get("sortorder").asLong());
        assertEquals("student", roles.get(1).get("shortname").asText());
    }

    @Test
    void suspendedEnrolmentsAreListedByDefaultAndToldApartOnlyByTheFilters() {
        enrol(concat(enrolment(0, 5, ann, course), enrolment(1, 5, bob, course, "suspend", "1")));
        JsonNode all = enrolled();
        assertEquals(List.of(ann, bob), ids(all), "onlyactive defaults to 0: suspended users are listed");
        for (JsonNode u : all) {
            assertFalse(u.has("status") || u.has("suspended"), "no per-user enrolment status in the answer");
        }
        assertEquals(course, all.get(0).get("enrolledcourses").get(0).get("id").asLong());
        assertFalse(all.get(1).has("enrolledcourses"), "enrolledcourses lists active enrolments only");
        assertEquals(List.of(ann), ids(enrolled("onlyactive", "1")));
        assertEquals(List.of(bob), ids(enrolled("onlysuspended", "1")));
        assertEquals(List.of(ann, bob), ids(enrolled("onlyactive", "0", "nosuchoption", "1")),
                "an unknown option is ignored");
        assertEquals("codingerror", errorcode(enrolled("onlyactive", "1", "onlysuspended", "1")));
        assertEquals("invalidparameter", errorcode(enrolled("sortby", "email")));
        assertEquals(List.of(bob, ann), ids(enrolled("sortby", "id", "sortdirection", "desc")));
    }

    @Test
    void anExpiredEnrolmentCountsAsSuspended() {
        enrol(enrolment(0, 5, ann, course, "timestart", "1704067200", "timeend", "1706745600"));
        assertEquals(List.of(ann), ids(enrolled("onlysuspended", "1")));
        assertEquals(List.of(), ids(enrolled("onlyactive", "1")));
    }

    @Test
    void handSuspendReactivateAndEnrol() {
        emu.resetCounters();
        emu.enrolUser(course, ann, 5);
        emu.enrolUser(course, ann, 4);
        assertEquals(List.of(new MoodleEnrolment(course, ann, 0, 0, false, Set.of(5L, 4L))), emu.enrolments(course));
        emu.suspendEnrolment(course, ann, true);
        assertEquals(List.of(ann), ids(enrolled("onlysuspended", "1")));
        assertEquals(Set.of(5L, 4L), emu.enrolments(course).get(0).roleIds(), "roles untouched");
        emu.suspendEnrolment(course, ann, false);
        assertEquals(List.of(ann), ids(enrolled("onlyactive", "1")));
        emu.manualEnrolEnabled(course, false);
        assertEquals(List.of(ann), ids(enrolled("onlysuspended", "1")), "a disabled instance makes no one active");
        assertEquals(0, emu.itemsWritten(), "hand edits are not web-service writes");
    }

    @Test
    void aHiddenCourseIsInTheEnrolledCoursesOfTeachersOnly() {
        enrol(concat(enrolment(0, 5, ann, course), enrolment(1, 3, bob, course)));
        emu.courseVisible(course, false);
        JsonNode all = enrolled();
        assertFalse(all.get(0).has("enrolledcourses"), "a student cannot see the hidden course");
        assertEquals(course, all.get(1).get("enrolledcourses").get(0).get("id").asLong());
        assertEquals(List.of(ann, bob), ids(enrolled("onlyactive", "1")), "hiding does not suspend anyone");
    }
}
