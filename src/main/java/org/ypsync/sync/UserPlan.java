package org.ypsync.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The user actions of one run. Unchanged users produce no action, only a count. The suspension guard verdict is
 * carried here; the glue skips the suspensions when it tripped unless --force ({@link #suspensionsToExecute}).
 * managedPopulation = linked accounts not suspended by ypsync (the guard's base).
 */
public record UserPlan(List<Create> creates, List<Adoption> adoptions, List<Update> updates,
        List<Suspension> suspensions, List<Revival> revivals, List<Rejection> rejections, int unchanged,
        int inactiveWithoutAccount, List<UserKey> missingAccounts, int managedPopulation,
        Optional<String> suspensionGuard) {

    public UserPlan {
        creates = List.copyOf(creates);
        adoptions = List.copyOf(adoptions);
        updates = List.copyOf(updates);
        suspensions = List.copyOf(suspensions);
        revivals = List.copyOf(revivals);
        rejections = List.copyOf(rejections);
        missingAccounts = List.copyOf(missingAccounts);
        Objects.requireNonNull(suspensionGuard);
    }

    /** True when executing this plan writes nothing to Moodle. */
    public boolean hasNoWrites() {
        return creates.isEmpty() && adoptions.stream().noneMatch(Adoption::writes) && updates.isEmpty()
                && suspensions.isEmpty() && revivals.isEmpty();
    }

    /** True when there is no action at all (no write, no adoption to link, no rejection, no missing account). */
    public boolean isEmpty() {
        return hasNoWrites() && adoptions.isEmpty() && rejections.isEmpty() && missingAccounts.isEmpty();
    }

    public List<Suspension> suspensionsToExecute(boolean force) {
        return suspensionGuard.isPresent() && !force ? List.of() : suspensions;
    }

    /** A new Moodle account. fields holds {@link UserFields} keys; the password never appears in toString. */
    public record Create(UserKey key, Map<String, String> fields, String password, boolean createPassword) {
        public Create {
            fields = Map.copyOf(new LinkedHashMap<>(fields));
        }

        public String username() {
            return fields.get(UserFields.USERNAME);
        }

        public String idnumber() {
            return fields.get(UserFields.IDNUMBER);
        }

        /** What ypsync wrote, to store in the link (no password). */
        public Map<String, String> written() {
            return fields;
        }

        /**
         * One core_user_create_users entry: the plain fields, password or createpassword=1 (internal auth only),
         * customfields as [{type, value}].
         */
        public Map<String, Object> moodleUser() {
            Map<String, Object> m = new LinkedHashMap<>(UserFields.plain(ordered(fields)));
            if (password != null) {
                m.put("password", password);
            }
            if (createPassword) {
                m.put("createpassword", 1);
            }
            List<Map<String, String>> custom = customList(fields);
            if (!custom.isEmpty()) {
                m.put("customfields", custom);
            }
            return m;
        }

        @Override
        public String toString() {
            return "Create[" + key + ", " + ordered(fields) + (password != null ? ", password=***" : "")
                    + (createPassword ? ", createpassword" : "") + "]";
        }
    }

    /**
     * An existing, unlinked Moodle account taken over for a NetYpareo person: link it, then write the fields that
     * differ (changes, may be empty) and lift a suspension when unsuspend.
     */
    public record Adoption(UserKey key, long moodleId, Map<String, FieldChange> changes, Map<String, String> written,
            boolean unsuspend) {
        public Adoption {
            changes = Map.copyOf(changes);
            written = Map.copyOf(written);
        }

        public boolean writes() {
            return !changes.isEmpty() || unsuspend;
        }

        public String username() {
            return written.get(UserFields.USERNAME);
        }

        public String idnumber() {
            return written.get(UserFields.IDNUMBER);
        }

        /** The core_user_update_users entry for the changes (plus suspended=0 when unsuspend), or empty. */
        public Optional<Map<String, Object>> moodleUpdate() {
            if (!writes()) {
                return Optional.empty();
            }
            Map<String, Object> m = updateEntry(moodleId, changes);
            if (unsuspend) {
                m.put("suspended", 0);
            }
            return Optional.of(m);
        }
    }

    /** Only the changed fields of a linked account, with before/after for display. */
    public record Update(UserKey key, long moodleId, String username, String idnumber,
            Map<String, FieldChange> changes) {
        public Update {
            changes = Map.copyOf(changes);
        }

        /** The new values, to merge into the link's written map. */
        public Map<String, String> after() {
            Map<String, String> m = new LinkedHashMap<>();
            changes.forEach((k, c) -> m.put(k, c.after()));
            return m;
        }

        /** One core_user_update_users entry: id, the changed plain fields, changed customfields. */
        public Map<String, Object> moodleUpdate() {
            return updateEntry(moodleId, changes);
        }
    }

    public record Suspension(UserKey key, long moodleId, String username, String idnumber, String reason) {
    }

    public record Revival(UserKey key, long moodleId, String username, String idnumber) {
    }

    /** A person ypsync will not touch this run, with the reason the operator reads. */
    public record Rejection(UserKey key, String login, String reason) {
    }

    static Map<String, String> ordered(Map<String, String> fields) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : List.of(UserFields.USERNAME, UserFields.FIRSTNAME, UserFields.LASTNAME, UserFields.EMAIL,
                UserFields.IDNUMBER, UserFields.AUTH)) {
            if (fields.containsKey(k)) {
                m.put(k, fields.get(k));
            }
        }
        fields.keySet().stream().filter(k -> !m.containsKey(k)).sorted().forEach(k -> m.put(k, fields.get(k)));
        return m;
    }

    static Map<String, FieldChange> orderedChanges(Map<String, FieldChange> changes) {
        Map<String, String> keys = new LinkedHashMap<>();
        changes.keySet().forEach(k -> keys.put(k, k));
        Map<String, FieldChange> m = new LinkedHashMap<>();
        ordered(keys).keySet().forEach(k -> m.put(k, changes.get(k)));
        return m;
    }

    private static List<Map<String, String>> customList(Map<String, String> fields) {
        List<Map<String, String>> l = new ArrayList<>();
        UserFields.customFields(ordered(fields)).forEach((k, v) -> {
            Map<String, String> e = new LinkedHashMap<>();
            e.put("type", k);
            e.put("value", v == null ? "" : v);
            l.add(e);
        });
        return l;
    }

    private static Map<String, Object> updateEntry(long id, Map<String, FieldChange> changes) {
        Map<String, String> after = new LinkedHashMap<>();
        changes.forEach((k, c) -> after.put(k, c.after()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.putAll(UserFields.plain(ordered(after)));
        List<Map<String, String>> custom = customList(after);
        if (!custom.isEmpty()) {
            m.put("customfields", custom);
        }
        return m;
    }
}
