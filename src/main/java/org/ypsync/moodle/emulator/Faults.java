package org.ypsync.moodle.emulator;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.ypsync.moodle.emulator.HttpFront.Answer;

/**
 * The faults injected into the next calls (see the fault setters of {@link MoodleEmulator}): by function, "*" for
 * any, each consumed by one call (the function's own before "*"). Thread-safe, outside the site lock.
 */
final class Faults {
    private static final String ANY = "*";

    private final AtomicInteger maintenanceCalls = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> resetBefore = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> resetAfter = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> holdCalls = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Duration> holdDelay = new ConcurrentHashMap<>();
    /** Injected answers (HTTP errors or Moodle exceptions), by function, consumed one per call. */
    private final ConcurrentHashMap<String, ConcurrentLinkedDeque<Injected>> injected = new ConcurrentHashMap<>();
    private final AtomicLong heldResponses = new AtomicLong();

    /** An injected answer: an HTTP error page, or (status 200) a Moodle exception. */
    private record Injected(int status, String exceptionClass, String errorcode, String message) {
    }

    // ------------------------------------------------------------------ set by the tests

    void maintenanceForNextCalls(int n) {
        maintenanceCalls.set(n);
    }

    void timeoutAfterWrite(String function, int n, Duration hold) {
        holdDelay.put(function, hold);
        holdCalls.put(function, new AtomicInteger(n));
    }

    void resetBeforeProcessing(String function, int n) {
        resetBefore.put(function, new AtomicInteger(n));
    }

    void resetAfterProcessing(String function, int n) {
        resetAfter.put(function, new AtomicInteger(n));
    }

    void httpError(String function, int n, int status) {
        inject(function, n, new Injected(status, null, null, null));
    }

    void moodleError(String function, int n, String exceptionClass, String errorcode, String message) {
        inject(function, n, new Injected(200, exceptionClass, errorcode, message));
    }

    private void inject(String function, int n, Injected answer) {
        ConcurrentLinkedDeque<Injected> q = injected.computeIfAbsent(function, k -> new ConcurrentLinkedDeque<>());
        for (int i = 0; i < n; i++) {
            q.add(answer);
        }
    }

    /** Clears every pending fault. */
    void clear() {
        injected.clear();
        maintenanceCalls.set(0);
        resetBefore.clear();
        resetAfter.clear();
        holdCalls.clear();
        holdDelay.clear();
    }

    long heldResponses() {
        return heldResponses.get();
    }

    // ------------------------------------------------------------------ taken by the calls

    /** Whether this call gets the maintenance page (any function). */
    boolean takeMaintenance() {
        return maintenanceCalls.getAndUpdate(Faults::decrement) > 0;
    }

    /** Whether this call's connection is dropped before it is processed. */
    boolean takeResetBefore(String function) {
        return take(resetBefore, function) != null;
    }

    /** Whether this call's connection is dropped after it was processed. */
    boolean takeResetAfter(String function) {
        return take(resetAfter, function) != null;
    }

    /** How long this call's answer is held (null: not held); a held answer is counted. */
    Duration takeHold(String function) {
        String key = take(holdCalls, function);
        Duration hold = key == null ? null : holdDelay.get(key);
        if (hold != null) {
            heldResponses.incrementAndGet();
        }
        return hold;
    }

    /** The answer injected in place of this call (null: none), in the requested format. */
    Answer takeInjected(String function, boolean json) {
        for (String key : new String[]{function, ANY}) {
            ConcurrentLinkedDeque<Injected> q = injected.get(key);
            Injected a = q == null ? null : q.poll();
            if (a != null) {
                if (a.exceptionClass() == null) {
                    return Answer.html(a.status(), "<html><head><title>" + a.status() + "</title></head><body><h1>"
                            + a.status() + "</h1></body></html>\n");
                }
                WsException e = new WsException(a.exceptionClass(), a.errorcode(), a.message(), null);
                return Answer.ws(json, json ? Output.jsonError(e, false) : Output.xmlError(e, false), 0);
            }
        }
        return null;
    }

    /** Takes one from the function's count, else from "*"'s; the key taken from, or null. */
    private static String take(Map<String, AtomicInteger> faults, String function) {
        for (String key : new String[]{function, ANY}) {
            AtomicInteger n = faults.get(key);
            if (n != null && n.getAndUpdate(Faults::decrement) > 0) {
                return key;
            }
        }
        return null;
    }

    private static int decrement(int v) {
        return v > 0 ? v - 1 : 0;
    }
}
