package org.ypsync.moodle.emulator;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.ypsync.moodle.emulator.Records.CategoryRow;
import org.ypsync.moodle.emulator.Records.CohortRow;
import org.ypsync.moodle.emulator.Records.CourseRow;
import org.ypsync.moodle.emulator.Records.EnrolmentRow;
import org.ypsync.moodle.emulator.Records.UserRow;

/**
 * The emulated database. Writes inside {@link #tx} are journalled and undone if the body throws, like a delegated
 * transaction; id sequences are NOT given back (PostgreSQL semantics), so a rolled-back batch leaves gaps.
 * Not thread-safe: the caller holds the site lock.
 */
final class State {
    static final int CONTEXT_SYSTEM = 10;
    static final int CONTEXT_USER = 30;
    static final int CONTEXT_COURSECAT = 40;
    static final int CONTEXT_COURSE = 50;

    record Ctx(long id, int level, long instanceId) {
    }

    final TreeMap<Long, UserRow> users = new TreeMap<>();
    private final Map<String, Long> usernameIndex = new HashMap<>();
    private final Map<String, Set<Long>> emailIndex = new HashMap<>();
    final Map<Long, CohortRow> cohorts = new HashMap<>();
    final Map<Long, LinkedHashMap<Long, Long>> members = new HashMap<>();
    final TreeMap<Long, CategoryRow> categories = new TreeMap<>();
    final TreeMap<Long, CourseRow> courses = new TreeMap<>();
    final Map<Long, LinkedHashMap<Long, EnrolmentRow>> enrolments = new HashMap<>();
    final Map<Long, Ctx> contexts = new HashMap<>();

    long userSeq = 1;
    long cohortSeq = 1;
    long categorySeq = 1;
    long courseSeq = 1;
    long contextSeq = 1;
    long heapSeq = 1;

    /** Items written by committed transactions, by kind (created, updated, deleted, added, removed, ...). */
    final Map<String, Long> committed = new LinkedHashMap<>();
    /** Items written by committed transactions, by function and kind. */
    final Map<String, Map<String, Long>> committedByFunction = new HashMap<>();
    private Map<String, Long> pending;
    private ArrayDeque<Runnable> undo;
    /** Rows touched by the current call, committed or not: what the per-item latency is charged on. */
    int workItems;
    String currentFunction = "";

    <T> T tx(Supplier<T> body) {
        if (undo != null) {
            return body.get();
        }
        undo = new ArrayDeque<>();
        pending = new LinkedHashMap<>();
        try {
            T result = body.get();
            pending.forEach((k, v) -> {
                committed.merge(k, v, Long::sum);
                committedByFunction.computeIfAbsent(currentFunction, f -> new LinkedHashMap<>()).merge(k, v,
                        Long::sum);
            });
            return result;
        } catch (RuntimeException e) {
            ArrayDeque<Runnable> log = undo;
            undo = null;
            while (!log.isEmpty()) {
                log.pop().run();
            }
            throw e;
        } finally {
            undo = null;
            pending = null;
        }
    }

    void tx(Runnable body) {
        tx(() -> {
            body.run();
            return null;
        });
    }

    private void journal(Runnable r) {
        if (undo != null) {
            undo.push(r);
        }
    }

    void count(String kind) {
        workItems++;
        // Outside a transaction only direct (test) manipulation writes: not a web-service write, not counted.
        if (pending != null) {
            pending.merge(kind, 1L, Long::sum);
        }
    }

    // ---- users

    UserRow userByUsername(String username) {
        Long id = usernameIndex.get(username);
        return id == null ? null : users.get(id);
    }

    Set<Long> userIdsByEmailIgnoreCase(String email) {
        return emailIndex.getOrDefault(email.toLowerCase(Locale.ROOT), Set.of());
    }

    void putUser(UserRow u) {
        UserRow prev = rawPutUser(u);
        journal(() -> {
            if (prev == null) {
                rawRemoveUser(u.id);
            } else {
                rawPutUser(prev);
            }
        });
    }

    private UserRow rawPutUser(UserRow u) {
        UserRow prev = users.put(u.id, u);
        if (prev != null) {
            unindex(prev);
        }
        usernameIndex.put(u.username, u.id);
        emailIndex.computeIfAbsent(u.email.toLowerCase(Locale.ROOT), k -> new HashSet<>()).add(u.id);
        return prev;
    }

    private void rawRemoveUser(long id) {
        UserRow prev = users.remove(id);
        if (prev != null) {
            unindex(prev);
        }
    }

    private void unindex(UserRow u) {
        usernameIndex.remove(u.username, u.id);
        Set<Long> s = emailIndex.get(u.email.toLowerCase(Locale.ROOT));
        if (s != null) {
            s.remove(u.id);
            if (s.isEmpty()) {
                emailIndex.remove(u.email.toLowerCase(Locale.ROOT));
            }
        }
    }

    // ---- contexts

    long newContext(int level, long instanceId) {
        long id = contextSeq++;
        Ctx c = new Ctx(id, level, instanceId);
        contexts.put(id, c);
        journal(() -> contexts.remove(id));
        return id;
    }

    Ctx contextOf(int level, long instanceId) {
        for (Ctx c : contexts.values()) {
            if (c.level == level && c.instanceId == instanceId) {
                return c;
            }
        }
        return null;
    }

    // ---- cohorts

    void putCohort(CohortRow c) {
        put(cohorts, c.id, c);
    }

    void removeCohort(long id) {
        CohortRow prev = cohorts.remove(id);
        LinkedHashMap<Long, Long> prevMembers = members.remove(id);
        journal(() -> {
            if (prev != null) {
                cohorts.put(id, prev);
            }
            if (prevMembers != null) {
                members.put(id, prevMembers);
            }
        });
    }

    boolean isMember(long cohortId, long userId) {
        Map<Long, Long> m = members.get(cohortId);
        return m != null && m.containsKey(userId);
    }

    void addMember(long cohortId, long userId, long time) {
        LinkedHashMap<Long, Long> m = members.computeIfAbsent(cohortId, k -> new LinkedHashMap<>());
        if (m.putIfAbsent(userId, time) == null) {
            journal(() -> m.remove(userId));
        }
    }

    boolean removeMember(long cohortId, long userId) {
        // Member lists are always read sorted (by name), so the insertion position need not be restored.
        return remove(members.get(cohortId), userId);
    }

    // ---- categories, courses, enrolments, groups

    void putCategory(CategoryRow c) {
        put(categories, c.id, c);
    }

    void putCourse(CourseRow c) {
        put(courses, c.id, c);
    }

    /** A course and its enrolments go; its context stays (ids are never reused). */
    void removeCourse(long id) {
        remove(courses, id);
        remove(enrolments, id);
    }

    EnrolmentRow enrolment(long courseId, long userId) {
        Map<Long, EnrolmentRow> m = enrolments.get(courseId);
        return m == null ? null : m.get(userId);
    }

    void putEnrolment(EnrolmentRow e) {
        put(enrolments.computeIfAbsent(e.courseId, k -> new LinkedHashMap<>()), e.userId, e);
    }

    boolean removeEnrolment(long courseId, long userId) {
        // Enrolled users are always read sorted, so the insertion position need not be restored.
        return remove(enrolments.get(courseId), userId);
    }

    /** Puts a row in a table, journalled: undone, the row before (or none) is back. */
    private <K, V> void put(Map<K, V> table, K key, V row) {
        V prev = table.put(key, row);
        journal(() -> {
            if (prev == null) {
                table.remove(key);
            } else {
                table.put(key, prev);
            }
        });
    }

    /** Removes a row from a table (null: none), journalled; whether there was one. */
    private <K, V> boolean remove(Map<K, V> table, K key) {
        if (table == null || !table.containsKey(key)) {
            return false;
        }
        V prev = table.remove(key);
        journal(() -> table.put(key, prev));
        return true;
    }
}
