package org.ypsync.netypareo;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A read timeout for a response body. java.net.http's request timeout stops at the response headers; a server that
 * stalls mid-body would block a reader forever. Each read arms a timer that closes the stream when it fires, which
 * wakes the blocked read; the read then fails with {@link SocketTimeoutException}.
 */
final class DeadlineInputStream extends FilterInputStream {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final long timeoutNanos;
    private volatile boolean expired;

    DeadlineInputStream(InputStream in, Duration timeout) {
        super(in);
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public int read() throws IOException {
        ScheduledFuture<?> alarm = arm();
        try {
            return check(super.read());
        } catch (IOException e) {
            throw expired ? timeout(e) : e;
        } finally {
            alarm.cancel(false);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        ScheduledFuture<?> alarm = arm();
        try {
            return check(super.read(b, off, len));
        } catch (IOException e) {
            throw expired ? timeout(e) : e;
        } finally {
            alarm.cancel(false);
        }
    }

    boolean expired() {
        return expired;
    }

    private ScheduledFuture<?> arm() throws IOException {
        if (expired) {
            throw timeout(null);
        }
        return TIMER.schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private int check(int n) throws IOException {
        if (n < 0 && expired) {
            throw timeout(null);
        }
        return n;
    }

    private void expire() {
        expired = true;
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // the blocked read fails or ends either way
        }
    }

    private SocketTimeoutException timeout(IOException cause) {
        SocketTimeoutException e = new SocketTimeoutException(
                "no data for " + Duration.ofNanos(timeoutNanos).toMillis() + " ms while reading the body");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "netypareo-read-timeout");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}
