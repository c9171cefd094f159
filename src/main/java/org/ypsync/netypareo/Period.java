package org.ypsync.netypareo;

import java.time.LocalDate;

/** A NetYpareo period (school year), from {@code periodes}. */
public record Period(int code, String name, LocalDate start, LocalDate end) implements CacheRecord {
    /** Whether {@code day} lies within the period, both ends included. */
    public boolean contains(LocalDate day) {
        return !day.isBefore(start) && !day.isAfter(end);
    }

    @Override
    public String key() {
        return Integer.toString(code);
    }

    @Override
    public String contentHash() {
        return Canonical.of("Period").add("code", code).add("name", name).add("start", start).add("end", end).hash();
    }
}
