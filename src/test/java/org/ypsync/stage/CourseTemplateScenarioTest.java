package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.ypsync.Launcher;
import org.ypsync.moodle.emulator.MoodleCourse;
import org.ypsync.moodle.emulator.MoodleSection;
import org.ypsync.ops.StageRun;

/**
 * sync.courses.template-shortname: new courses are copies of the template (core_course_duplicate_course, one call a
 * course, with its sections and activities), which then get their idnumber and dates; the re-run writes nothing.
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false", "sync.courses.enabled=true",
        "sync.courses.template-shortname=MODELE"})
class CourseTemplateScenarioTest implements ScenarioExtension.InScenario {
    private final ScenarioWorld world;

    CourseTemplateScenarioTest(ScenarioWorld world) {
        this.world = world;
    }

    @Test
    void newCoursesAreCopiesOfTheTemplateWithTheirIdnumberAndDates() {
        world.peopleSynced();
        long category = world.moodle().createCategory("Modèles", "MODELES");
        long template = world.moodle().createCourse("MODELE", "Modèle de cours", category, "");
        world.moodle().addActivity(template, 1, "forum", "Annonces de la classe");
        world.moodle().addActivity(template, 2, "assign", "Premier devoir");
        // the designer of the template is enrolled in it, and must not be in the copies
        long designer = world.moodle().createUser("conceptrice", "Anne", "Modèle", "anne@cfa.example.org", "", "manual");
        world.moodle().enrolUser(template, designer, 3);
        world.moodle().resetCounters();
        StageRun run = world.one("courses", false, false);
        assertEquals(StageRun.Outcome.OK, run.outcome(), run.summary() + " " + run.problems());
        List<MoodleCourse> copies = world.moodle().courses().stream().filter(c -> c.idnumber().contains("CRS_"))
                .toList();
        assertFalse(copies.isEmpty());
        assertEquals(copies.size(), world.moodle().calls("core_course_duplicate_course"), "one call per copy");
        assertEquals(0, world.moodle().calls("core_course_create_courses"));
        List<MoodleSection.Activity> wanted = List.of(new MoodleSection.Activity("forum", "Annonces de la classe"),
                new MoodleSection.Activity("assign", "Premier devoir"));
        for (MoodleCourse c : copies) {
            assertEquals(wanted, c.sections().stream().flatMap(s -> s.activities().stream()).toList(), c.toString());
            assertTrue(c.startdate() > 0 && c.enddate() > c.startdate(), c.toString());
            assertFalse(world.moodle().enrolments(c.id()).isEmpty(), "its people enrolled: " + c);
            assertFalse(world.moodle().enrolledUserIds(c.id()).contains(designer), "the template's people not copied");
        }
        world.assertReported("(copy of MODELE)");
        world.assertReRunWritesNothing("courses");
    }
}
