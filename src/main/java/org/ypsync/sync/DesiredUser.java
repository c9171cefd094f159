package org.ypsync.sync;

import java.util.Objects;
import java.util.Set;

/**
 * One person as NetYpareo wants them. active = should have a working account (activated, not a leaver: the glue
 * decides). siteCohortIdnumbers = the site cohorts this person belongs to.
 */
public record DesiredUser(int instanceIndex, UserKind kind, String netypareoId, String login, String firstName,
        String lastName, String email, boolean active, Set<String> siteCohortIdnumbers) {

    public DesiredUser {
        Objects.requireNonNull(kind, "kind");
        netypareoId = Objects.requireNonNull(netypareoId, "netypareoId").trim();
        siteCohortIdnumbers = siteCohortIdnumbers == null ? Set.of() : Set.copyOf(siteCohortIdnumbers);
    }

    public UserKey key() {
        return new UserKey(instanceIndex, kind, netypareoId);
    }
}
