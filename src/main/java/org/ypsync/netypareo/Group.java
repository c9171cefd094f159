package org.ypsync.netypareo;

import java.time.LocalDate;

/** A group (class), diploma ({@code formation-longue/groupes}) or continuing-education ({@code formation-courte}). */
public record Group(int code, String name, String shortName, Integer siteCode, Integer periodCode,
                   Integer trainingCode, LocalDate start, LocalDate end) implements CodedRecord {
}
