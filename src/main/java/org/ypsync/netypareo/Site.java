package org.ypsync.netypareo;

/** A NetYpareo site (training centre), from {@code sites}. {@code shortCode} is {@code abregeSite}. */
public record Site(int code, String name, String shortCode, boolean unused) implements CodedRecord {
}
