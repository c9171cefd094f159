package org.ypsync.netypareo.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour the emulator injects on matching requests (see
 * {@link NetypareoEmulator#fault(String, String, Fault)}). Immutable; {@link #times(int)} limits it to the first
 * N matching requests, after which the instance answers normally.
 */
public final class Fault {
    enum Kind { STATUS, DELAY, MALFORMED, RAW, TRUNCATED, EMPTY, STALL }

    final Kind kind;
    final int status;
    final Duration duration;
    final String contentType;
    final String body;
    final int times;

    private Fault(Kind kind, int status, Duration duration, String contentType, String body, int times) {
        this.kind = kind;
        this.status = status;
        this.duration = duration;
        this.contentType = contentType;
        this.body = body;
        this.times = times;
    }

    /** Answers this HTTP status (with a short HTML body, as PHP servers do). */
    public static Fault status(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        return new Fault(Kind.STATUS, status, null, null, null, -1);
    }

    /** Answers this HTTP status with this body. */
    public static Fault status(int status, String contentType, String body) {
        Fault f = status(status);
        return new Fault(Kind.STATUS, f.status, null, contentType, Objects.requireNonNull(body), -1);
    }

    /** Waits before answering normally. */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, 200, Objects.requireNonNull(delay), null, null, -1);
    }

    /** HTTP 200 with an HTML PHP error page instead of JSON. */
    public static Fault malformedBody() {
        return new Fault(Kind.MALFORMED, 200, null, "text/html; charset=UTF-8",
                "<html><body><b>Fatal error</b>: Allowed memory size exhausted in <b>/var/www/netypareo/index.php"
                        + "</b></body></html>", -1);
    }

    /** HTTP 200 with this body, verbatim. */
    public static Fault rawBody(String contentType, String body) {
        return new Fault(Kind.RAW, 200, null, contentType, Objects.requireNonNull(body), -1);
    }

    /** HTTP 200 with a valid start of the normal answer, cut in the middle of a record. */
    public static Fault truncatedBody() {
        return new Fault(Kind.TRUNCATED, 200, null, null, null, -1);
    }

    /** HTTP 200 with no records ({@code {}} or {@code []} according to the envelope). */
    public static Fault emptyList() {
        return new Fault(Kind.EMPTY, 200, null, null, null, -1);
    }

    /** Sends the headers and half of the normal answer, waits, then sends the rest. */
    public static Fault stallMidBody(Duration stall) {
        return new Fault(Kind.STALL, 200, Objects.requireNonNull(stall), null, null, -1);
    }

    /** The same fault for the first {@code n} matching requests only. */
    public Fault times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times must be >= 1");
        }
        return new Fault(kind, status, duration, contentType, body, n);
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.STATUS ? " " + status : "") + (duration != null ? " " + duration : "")
                + (times > 0 ? " x" + times : "");
    }
}
