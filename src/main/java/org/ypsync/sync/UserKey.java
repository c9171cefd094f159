package org.ypsync.sync;

import java.util.Comparator;
import java.util.Objects;

/** Identity of one NetYpareo person: instance, population and NetYpareo id (codeApprenant, codePersonnel...). */
public record UserKey(int instanceIndex, UserKind kind, String netypareoId) implements Comparable<UserKey> {
    /** Deterministic order: instance, kind, then id (numerically when both ids are numbers). */
    public static final Comparator<UserKey> ORDER = Comparator.comparingInt(UserKey::instanceIndex)
            .thenComparing(UserKey::kind).thenComparing(UserKey::netypareoId, UserKey::compareIds);

    public UserKey {
        Objects.requireNonNull(kind, "kind");
        netypareoId = Objects.requireNonNull(netypareoId, "netypareoId").trim();
        if (instanceIndex < 0) {
            throw new IllegalArgumentException("instance index must be >= 0");
        }
    }

    /** The Moodle idnumber this person gets. */
    public String idnumber() {
        return Naming.prefix(instanceIndex) + netypareoId;
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
        if (isDigits(a) && isDigits(b)) {
            // numeric order without parsing: fewer significant digits first, then digit by digit
            String x = stripZeros(a);
            String y = stripZeros(b);
            int c = x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return a.compareTo(b);
    }

    private static String stripZeros(String s) {
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
