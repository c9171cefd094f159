package org.ypsync.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's first command: every stage against the emulators, in the seed's shape, twice; then the profile field
 * a stock Moodle lacks is created and filled, and a last run writes nothing.
 */
class DemoTest {
    @Test
    void theDemoPrintsTheSeedsLinesForTwoInstancesAndItsSecondRunWritesNothing() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int code;
        // the stages' report lines go to the console through logback: capture both
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try {
            code = Demo.run(capture);
        } finally {
            System.setOut(previous);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        for (String line : new String[] {"Running on :", "Name : Test Ymag", "Name : CFA Montpellier",
                "Updating cache status for instance 0", "Updating cache status for instance 1",
                "Site cohort created: SITE1 [SITE_S1]", "[1_SITE_CFPPH]", "User student created: [",
                "User teacher created: [", "User tutor created: [", "Group cohort created: ", "[1_GRP_846000]",
                "FC group cohort created: ", "Course category created: ", "Course created: ", "[CRS_",
                "[1_CRS_", "Enrolment student added: [", "Enrolment teacher added: ["}) {
            assertTrue(out.contains(line), "missing '" + line + "' in:\n" + out);
        }
        Matcher writes = Pattern.compile("write calls (\\d+)").matcher(out);
        assertTrue(writes.find());
        assertTrue(Integer.parseInt(writes.group(1)) > 0, "the first run writes");
        assertTrue(writes.find());
        assertEquals("0", writes.group(1), "the second run writes nothing");
        // a stock Moodle: said once, plainly, then the field is created and filled once
        String missing = "User profile field 'netypareo_usertype' does not exist in Moodle: create it (Site "
                + "administration > Users > User profile fields) or set sync.users.usertype-field to blank";
        assertEquals(1, out.lines().filter(l -> l.startsWith(missing)).count(), out);
        assertTrue(writes.find());
        assertTrue(Integer.parseInt(writes.group(1)) > 0, "the field is filled once it exists");
        assertTrue(out.contains("User profile field 'netypareo_usertype' is kept by Moodle again"), out);
        assertTrue(writes.find());
        assertEquals("0", writes.group(1), "then nothing is written again");
        assertFalse(writes.find());
    }

    @Test
    void withoutTheProfileFieldStepTheDemoStopsAfterTheWriteFreeRun() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertEquals(2, Pattern.compile("write calls (\\d+)").matcher(out).results().count(), out);
    }
}
