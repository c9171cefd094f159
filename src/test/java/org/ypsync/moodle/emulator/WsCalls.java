package org.ypsync.moodle.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Minimal form-encoded calls for the conformance tests: fields as alternating name, value. */
final class WsCalls {
    private final MoodleEmulator emu;

    WsCalls(MoodleEmulator emu) {
        this.emu = emu;
    }

    TranscriptSupport.Reply raw(String token, String function, String... kv) {
        List<Map.Entry<String, String>> f = new ArrayList<>();
        f.add(Map.entry("wstoken", token));
        f.add(Map.entry("wsfunction", function));
        f.add(Map.entry("moodlewsrestformat", "json"));
        for (int i = 0; i < kv.length; i += 2) {
            f.add(Map.entry(kv[i], kv[i + 1]));
        }
        return TranscriptSupport.post(emu.endpoint(), TranscriptSupport.form(f));
    }

    JsonNode call(String function, String... kv) {
        TranscriptSupport.Reply r = raw(emu.token(), function, kv);
        if (r.status() != 200) {
            throw new AssertionError("HTTP " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    static String errorcode(JsonNode n) {
        return n != null && n.isObject() && n.has("exception") ? n.get("errorcode").asText() : null;
    }

    /** users[i][...] fields for one manual user with a policy-compliant password. */
    static String[] user(int i, String username, String idnumber, String email) {
        String p = "users[" + i + "]";
        return new String[]{p + "[username]", username, p + "[password]", "Passw0rd!", p + "[firstname]", "First",
                p + "[lastname]", "Last " + username, p + "[email]", email, p + "[idnumber]", idnumber};
    }

    /** enrolments[i][...] fields for one manual enrolment (roleid, userid, courseid), then any extra key/values. */
    static String[] enrolment(int i, long roleId, long userId, long courseId, String... extra) {
        String p = "enrolments[" + i + "]";
        List<String> out = new ArrayList<>(List.of(p + "[roleid]", String.valueOf(roleId), p + "[userid]",
                String.valueOf(userId), p + "[courseid]", String.valueOf(courseId)));
        for (int k = 0; k < extra.length; k += 2) {
            out.add(p + "[" + extra[k] + "]");
            out.add(extra[k + 1]);
        }
        return out.toArray(new String[0]);
    }

    static String[] concat(String[]... parts) {
        List<String> out = new ArrayList<>();
        for (String[] p : parts) {
            out.addAll(List.of(p));
        }
        return out.toArray(new String[0]);
    }

    long createUser(String username, String idnumber) {
        JsonNode r = call("core_user_create_users", user(0, username, idnumber, username + "@example.org"));
        if (!r.isArray()) throw new AssertionError(r.toString());
        return r.get(0).get("id").asLong();
    }

    long createCohort(String idnumber, String name) {
        JsonNode r = call("core_cohort_create_cohorts", "cohorts[0][categorytype][type]", "system",
                "cohorts[0][categorytype][value]", "", "cohorts[0][name]", name, "cohorts[0][idnumber]", idnumber);
        if (!r.isArray()) throw new AssertionError(r.toString());
        return r.get(0).get("id").asLong();
    }
}
