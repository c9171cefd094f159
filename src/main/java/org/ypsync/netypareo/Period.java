package org.ypsync.netypareo;

import java.time.LocalDate;

/** A NetYpareo period (school year), from {@code periodes}. */
public record Period(int code, String name, LocalDate start, LocalDate end) implements CodedRecord {
    /** Whether {@code day} lies within the period, both ends included. */
    public boolean contains(LocalDate day) {
        return !day.isBefore(start) && !day.isAfter(end);
    }
}
