package org.ypsync.moodle.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ypsync.moodle.emulator.TranscriptSupport.JSON;

/**
 * Replays every recorded case of a real Moodle 4.4.3+ against one fresh emulator, in order, over HTTP: same status,
 * same answer (placeholders aside) and same follow-up checks.
 */
class MoodleTranscriptReplayTest {
    static final Path TRANSCRIPTS = Path.of("../shared/reference/moodle-4.4-transcripts.json");
    private static final Pattern SHORTENED = Pattern.compile("\\.\\.\\. \\[shortened: (\\d+) characters in all]$");
    private static MoodleEmulator emu;

    @AfterAll
    static void stop() {
        if (emu != null) emu.stop();
    }

    @TestFactory
    Stream<DynamicTest> replay() throws IOException {
        JsonNode root = JSON.readTree(Files.readString(TRANSCRIPTS));
        // The recorded service had exactly these functions (site info lists them).
        emu = new MoodleEmulator().serviceFunctions(MoodleEmulator.TRANSCRIPT_SERVICE_FUNCTIONS).start();
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (JsonNode c : root.get("cases")) {
            String name = String.format("%02d %s", i++, c.get("name").asText());
            tests.add(DynamicTest.dynamicTest(name, () -> {
                try {
                    run(c);
                } catch (AssertionError e) {
                    // Surefire's plain reports show "replay()[n]": put the case name in the message too.
                    throw new AssertionError("case " + name + ": " + e.getMessage(), e);
                }
            }));
        }
        return tests.stream();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private void run(JsonNode c) {
        if (c.get("request").isTextual()) {
            runBulk(c);
            return;
        }
        String token = emu.token();
        if (c.has("token")) {
            Matcher m = Pattern.compile("[0-9a-f]{32}").matcher(c.get("token").asText());
            assertTrue(m.find());
            token = m.group();
        }
        TranscriptSupport.Reply r = TranscriptSupport.call(emu, token, c);
        assertEquals(c.get("http_status").asInt(), r.status(), "HTTP status");
        assertAnswer(c.get("response"), r, "response");
        int k = 0;
        for (JsonNode check : c.get("checks")) {
            TranscriptSupport.Reply cr = TranscriptSupport.call(emu, emu.token(), check);
            assertEquals(200, cr.status(), "check " + k + " status");
            assertAnswer(check.get("response"), cr, "check " + k + " (" + check.get("function").asText() + ")");
            k++;
        }
    }

    private void assertAnswer(JsonNode expected, TranscriptSupport.Reply r, String what) {
        if (expected.isTextual()) {
            String exp = expected.asText();
            String act = TranscriptSupport.normaliseText(r.body(), emu.url(), now());
            Matcher m = SHORTENED.matcher(exp);
            if (m.find()) {
                String prefix = exp.substring(0, m.start());
                assertTrue(act.startsWith(prefix), what + ": expected to start with\n" + prefix + "\nbut was\n" + act);
            } else {
                assertEquals(exp, act, what);
            }
            return;
        }
        JsonNode actual = TranscriptSupport.normalise(r.json(), expected, emu.url(), now());
        assertEquals(expected.toPrettyString(), actual.toPrettyString(), what);
    }

    /** Case 90: 1000 users x 6 fields in one call, cut by max_input_vars. */
    private void runBulk(JsonNode c) {
        List<Map.Entry<String, String>> f = new ArrayList<>();
        f.add(Map.entry("wstoken", emu.token()));
        f.add(Map.entry("wsfunction", "core_user_create_users"));
        f.add(Map.entry("moodlewsrestformat", "json"));
        List<String> usernames = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String n = String.format("%04d", i);
            String p = "users[" + i + "]";
            usernames.add("bulk" + n);
            f.add(Map.entry(p + "[username]", "bulk" + n));
            f.add(Map.entry(p + "[password]", "Passw0rd!"));
            f.add(Map.entry(p + "[firstname]", "Bulk"));
            f.add(Map.entry(p + "[lastname]", "User " + n));
            f.add(Map.entry(p + "[email]", "bulk" + n + "@example.org"));
            f.add(Map.entry(p + "[idnumber]", "BULK-" + n));
        }
        TranscriptSupport.Reply r = TranscriptSupport.post(emu.endpoint(), TranscriptSupport.form(f));
        assertEquals(c.get("http_status").asInt(), r.status());
        JsonNode exp = c.get("response");
        JsonNode act = r.json();
        assertTrue(act.isArray(), r.body());
        assertEquals(exp.get("entries_returned").asInt(), act.size());
        assertEquals(exp.get("first"), act.get(0));
        assertEquals(exp.get("last"), act.get(act.size() - 1));
        // check: the 1000 usernames in 4 calls of 250
        int found = 0;
        String highest = "";
        for (int from = 0; from < 1000; from += 250) {
            List<Map.Entry<String, String>> q = new ArrayList<>();
            q.add(Map.entry("wstoken", emu.token()));
            q.add(Map.entry("wsfunction", "core_user_get_users_by_field"));
            q.add(Map.entry("moodlewsrestformat", "json"));
            q.add(Map.entry("field", "username"));
            for (int i = 0; i < 250; i++) {
                q.add(Map.entry("values[" + i + "]", usernames.get(from + i)));
            }
            JsonNode users = TranscriptSupport.post(emu.endpoint(), TranscriptSupport.form(q)).json();
            for (JsonNode u : users) {
                found++;
                String name = u.get("username").asText();
                if (name.compareTo(highest) > 0) highest = name;
            }
        }
        assertEquals("833 users found; highest username bulk0832",
                found + " users found; highest username " + highest);
        assertEquals("BULK-0832", emu.userByUsername("bulk0832").orElseThrow().idnumber(),
                "the last user kept is complete");
    }
}
