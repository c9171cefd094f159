package org.ypsync.sync;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What ypsync knows about a person it manages: the Moodle user id, the fields it last wrote (keys of
 * {@link UserFields}), whether the account is suspended because ypsync suspended it, and {@code held}: for the
 * fields whose value Moodle read back differently from what ypsync wrote (a profile field that does not exist, an
 * e-mail a site lower-cases), what Moodle holds instead (null: nothing), as of {@code heldAt}.
 */
public record UserLink(UserKey key, long moodleId, Map<String, String> written, boolean suspendedByUs,
                       Map<String, String> held, Instant heldAt) {
    public UserLink {
        Objects.requireNonNull(key, "key");
        written = written == null ? Map.of() : Map.copyOf(written);
        // values may be null (Moodle holds nothing): Map.copyOf would refuse them
        held = held == null || held.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(held));
    }

    public UserLink(UserKey key, long moodleId, Map<String, String> written, boolean suspendedByUs) {
        this(key, moodleId, written, suspendedByUs, Map.of(), null);
    }

    /** The value Moodle should hold for a field ypsync wrote: what it read back, else what was written. */
    public String expected(String field) {
        return held.containsKey(field) ? held.get(field) : written.get(field);
    }

    public UserLink withWritten(Map<String, String> w) {
        return new UserLink(key, moodleId, w, suspendedByUs, held, heldAt);
    }

    public UserLink withSuspendedByUs(boolean s) {
        return new UserLink(key, moodleId, written, s, held, heldAt);
    }

    public UserLink withHeld(Map<String, String> h, Instant at) {
        return new UserLink(key, moodleId, written, suspendedByUs, h, at);
    }
}
