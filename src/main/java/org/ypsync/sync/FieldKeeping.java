package org.ypsync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What Moodle keeps of the fields ypsync writes. Moodle accepts a {@code customfields} entry for a user profile
 * field that does not exist, and a site can normalise what it stores (a plugin lower-casing e-mails), all without a
 * word: comparing what Moodle reads back with what was sent would rewrite such a field on every run. So ypsync reads
 * back what it wrote; a value Moodle keeps differently is held as Moodle has it (per person, {@link UserLink#held});
 * once a field has not stuck more than a few times it is "not kept" site-wide: drift repair leaves it alone, the run
 * says so once, and the field is tried again now and then ({@link #recheckDue}). When a try shows Moodle keeps it
 * again, the values held before are stale and the field is written again for everybody ({@link #current}).
 */
public final class FieldKeeping {
    private FieldKeeping() {
    }

    /**
     * Site-wide: whether Moodle keeps a field; strikes = writes of it that did not stick; changedAt = when kept last
     * changed (null: never); checkedAt = when a write of it was last tried while not kept.
     */
    public record FieldState(String field, boolean kept, int strikes, Instant changedAt, Instant checkedAt) {
        public FieldState {
            Objects.requireNonNull(field, "field");
        }

        public static FieldState fresh(String field) {
            return new FieldState(field, true, 0, null, null);
        }
    }

    /**
     * The fields of {@code sent} whose value read back differs, with what Moodle holds (null: nothing). A field
     * missing from {@code readBack} altogether is unknown (Moodle hides it from this web-service user) and skipped.
     */
    public static Map<String, String> notKept(Map<String, String> sent, Map<String, String> readBack) {
        Map<String, String> out = new LinkedHashMap<>();
        sent.forEach((field, ours) -> {
            if (readBack.containsKey(field) && !Objects.equals(readBack.get(field), ours)) {
                out.put(field, readBack.get(field));
            }
        });
        return out;
    }

    /** A person's held values after a read-back: the fields that stuck are no longer held, the others are. */
    public static Map<String, String> held(Map<String, String> before, Collection<String> sentFields,
                                           Map<String, String> notKept) {
        Map<String, String> out = new LinkedHashMap<>(before);
        sentFields.forEach(out::remove);
        out.putAll(notKept);
        return out;
    }

    /**
     * A field's state after a run's read-back in which {@code notStuck} of its writes did not stick: past the
     * threshold a kept field becomes not kept. A field already not kept changes only by {@link #afterRecheck}.
     */
    public static FieldState afterReadBack(FieldState s, int notStuck, int threshold, Instant now) {
        if (notStuck == 0) {
            return s;
        }
        int strikes = s.strikes() + notStuck;
        if (s.kept() && strikes >= threshold) {
            return new FieldState(s.field(), false, strikes, now, now);
        }
        return new FieldState(s.field(), s.kept(), strikes, s.changedAt(), s.checkedAt());
    }

    /** After a write of a field not kept was tried: kept again (strikes forgotten), or tried at {@code now}. */
    public static FieldState afterRecheck(FieldState s, boolean stuck, Instant now) {
        return stuck ? new FieldState(s.field(), true, 0, now, now)
                : new FieldState(s.field(), false, s.strikes(), s.changedAt(), now);
    }

    /** Whether a field not kept is due for another try: never tried, asked for, or the interval has passed. */
    public static boolean recheckDue(FieldState s, Duration every, Instant now) {
        return !s.kept() && (s.checkedAt() == null || !s.checkedAt().plus(every).isAfter(now));
    }

    /**
     * The link with its stale held values dropped: those of a field Moodle keeps again since they were held, so the
     * value is expected as written, and written again.
     */
    public static UserLink current(UserLink l, Map<String, FieldState> states) {
        if (l.held().isEmpty()) {
            return l;
        }
        Map<String, String> held = new LinkedHashMap<>(l.held());
        held.keySet().removeIf(f -> {
            FieldState st = states.get(f);
            return st != null && st.kept() && st.changedAt() != null
                    && (l.heldAt() == null || l.heldAt().isBefore(st.changedAt()));
        });
        return held.size() == l.held().size() ? l : l.withHeld(held, l.heldAt());
    }

    /**
     * Without a drift read: the writes that bring back what {@link #current} dropped (the field is kept again, the
     * person's value was not), for the active people. Before = what Moodle was last known to hold.
     */
    public static List<UserPlan.Update> refills(Map<UserKey, UserLink> before, Map<UserKey, UserLink> current,
                                                Set<UserKey> active) {
        List<UserPlan.Update> out = new ArrayList<>();
        List<UserLink> sorted = new ArrayList<>(before.values());
        sorted.sort(Comparator.comparing(UserLink::key));
        for (UserLink was : sorted) {
            UserLink now = current.get(was.key());
            if (now == null || now == was || !active.contains(was.key())) {
                continue;
            }
            Map<String, FieldChange> changes = new LinkedHashMap<>();
            was.held().forEach((field, moodle) -> {
                if (!now.held().containsKey(field) && !Objects.equals(moodle, was.written().get(field))) {
                    changes.put(field, new FieldChange(moodle, was.written().get(field)));
                }
            });
            if (!changes.isEmpty()) {
                out.add(new UserPlan.Update(was.key(), was.moodleId(), was.written().get(UserFields.USERNAME),
                        Optional.ofNullable(was.written().get(UserFields.IDNUMBER)).orElse(was.key().idnumber()),
                        changes));
            }
        }
        return out;
    }

    /**
     * What the run says, once, when a field becomes not kept. A user profile field that Moodle never holds does not
     * exist; any other field is being changed by the site.
     */
    public static String notKeptMessage(String field, String configKey, String sentExample, String heldExample,
                                        boolean nothingHeld) {
        if (UserFields.isCustom(field) && nothingHeld) {
            String shortname = field.substring(UserFields.CUSTOM_PREFIX.length());
            return "User profile field '" + shortname + "' does not exist in Moodle: create it (Site administration > "
                    + "Users > User profile fields) or set " + configKey + " to blank";
        }
        return "Moodle does not keep the " + field + " ypsync writes (sent '" + sentExample + "', Moodle holds '"
                + heldExample + "'): Moodle's value is kept and the field is no longer rewritten by drift repair";
    }

    /** What the run says when a field Moodle did not keep is kept again. */
    public static String keptAgainMessage(String field, int refills) {
        String name = UserFields.isCustom(field)
                ? "User profile field '" + field.substring(UserFields.CUSTOM_PREFIX.length()) + "'"
                : "The " + field;
        return name + " is kept by Moodle again: written for the " + refills + " account(s) that lack it";
    }
}
