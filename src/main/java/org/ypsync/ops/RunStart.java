package org.ypsync.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * How a run (of a stage, or the cache run of one instance) starts: a fresh id, which what the run writes carries
 * (dead letters, staged rows), and the instant it started.
 */
public record RunStart(String id, Instant at) {
    public static RunStart now() {
        return new RunStart(UUID.randomUUID().toString(), Instant.now());
    }

    /** The time from the start to {@code end}, or to now while {@code end} is null. */
    public Duration until(Instant end) {
        return Duration.between(at, end == null ? Instant.now() : end);
    }
}
