package org.ypsync.sync;

import java.util.Map;
import java.util.Objects;

/**
 * What ypsync knows about a person it manages: the Moodle user id, the fields it last wrote (keys of
 * {@link UserFields}) and whether the account is suspended because ypsync suspended it.
 */
public record UserLink(UserKey key, long moodleId, Map<String, String> written, boolean suspendedByUs) {
    public UserLink {
        Objects.requireNonNull(key, "key");
        written = written == null ? Map.of() : Map.copyOf(written);
    }
}
