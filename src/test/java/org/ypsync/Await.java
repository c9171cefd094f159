package org.ypsync;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting in a test for something another thread or process does: the condition polled (every 20 ms) until it
 * holds or the timeout has passed, then a failure that says what never happened. Nothing is asserted about how
 * long it took.
 */
public final class Await {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Await() {
    }

    /** Returns once {@code condition} holds; fails with "no {@code what} within ..." after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> { });
    }

    /** As above; {@code check} runs before each poll and may fail early (a process that died). */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Runnable check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            check.run();
            if (System.nanoTime() - deadline > 0) {
                fail("no " + what + " within " + timeout.toSeconds() + " s");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
