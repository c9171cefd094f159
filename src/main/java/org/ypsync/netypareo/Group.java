package org.ypsync.netypareo;

import java.time.LocalDate;

/** A group (class), diploma ({@code formation-longue/groupes}) or continuing-education ({@code formation-courte}). */
public record Group(int code, String name, String shortName, Integer siteCode, Integer periodCode,
                   Integer trainingCode, LocalDate start, LocalDate end) implements CacheRecord {
    @Override
    public String key() {
        return Integer.toString(code);
    }

    @Override
    public String contentHash() {
        return Canonical.of("Group").add("code", code).add("name", name).add("shortName", shortName)
                .add("siteCode", siteCode).add("periodCode", periodCode).add("trainingCode", trainingCode)
                .add("start", start).add("end", end).hash();
    }
}
