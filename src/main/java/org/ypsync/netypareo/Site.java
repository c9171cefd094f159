package org.ypsync.netypareo;

/** A NetYpareo site (training centre), from {@code sites}. {@code shortCode} is {@code abregeSite}. */
public record Site(int code, String name, String shortCode, boolean unused) implements CacheRecord {
    @Override
    public String key() {
        return Integer.toString(code);
    }

    @Override
    public String contentHash() {
        return Canonical.of("Site").add("code", code).add("name", name).add("shortCode", shortCode)
                .add("unused", unused).hash();
    }
}
