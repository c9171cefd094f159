package org.ypsync.moodle.emulator;

import java.util.Map;

/** A snapshot of one emulated Moodle user (read it from, or hand an edited copy back to, the emulator). */
public record MoodleUser(long id, String username, String idnumber, String firstname, String lastname, String email,
                         String auth, boolean suspended, boolean deleted, Map<String, String> customfields) {
    public MoodleUser {
        customfields = Map.copyOf(customfields);
    }

    public MoodleUser withIdnumber(String v) {
        return new MoodleUser(id, username, v, firstname, lastname, email, auth, suspended, deleted, customfields);
    }

    public MoodleUser withFirstname(String v) {
        return new MoodleUser(id, username, idnumber, v, lastname, email, auth, suspended, deleted, customfields);
    }

    public MoodleUser withLastname(String v) {
        return new MoodleUser(id, username, idnumber, firstname, v, email, auth, suspended, deleted, customfields);
    }

    public MoodleUser withEmail(String v) {
        return new MoodleUser(id, username, idnumber, firstname, lastname, v, auth, suspended, deleted, customfields);
    }

    public MoodleUser withSuspended(boolean v) {
        return new MoodleUser(id, username, idnumber, firstname, lastname, email, auth, v, deleted, customfields);
    }
}
