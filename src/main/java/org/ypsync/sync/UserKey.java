package org.ypsync.sync;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.Objects;

/** Identity of one NetYpareo person: instance, population and NetYpareo id (codeApprenant, codePersonnel...). */
public record UserKey(int instanceIndex, UserKind kind, String netypareoId) implements Comparable<UserKey> {
    /** Deterministic order: instance, kind, then id (numerically when both ids are numbers). */
    public static final Comparator<UserKey> ORDER = Comparator.comparingInt(UserKey::instanceIndex)
            .thenComparing(UserKey::kind).thenComparing(UserKey::netypareoId, UserKey::compareIds);

    public UserKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(netypareoId, "netypareoId");
        if (instanceIndex < 0) {
            throw new IllegalArgumentException("instance index must be >= 0");
        }
    }

    /** The Moodle idnumber this person gets. */
    public String idnumber() {
        return Naming.prefix(instanceIndex) + netypareoId.trim();
    }

    @Override
    public int compareTo(UserKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return kind.value() + " " + netypareoId + (instanceIndex == 0 ? "" : " (instance " + instanceIndex + ")");
    }

    static int compareIds(String a, String b) {
        if (a.matches("[0-9]{1,40}") && b.matches("[0-9]{1,40}")) {
            int c = new BigInteger(a).compareTo(new BigInteger(b));
            if (c != 0) {
                return c;
            }
        }
        return a.compareTo(b);
    }
}
