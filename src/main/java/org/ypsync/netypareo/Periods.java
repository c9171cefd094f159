package org.ypsync.netypareo;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Period helpers. */
public final class Periods {
    private Periods() {
    }

    /**
     * The current period: the one whose dates contain {@code today}. When periods overlap, the one that started
     * last wins (then the higher code), so the choice is stable.
     */
    public static Optional<Period> current(List<Period> periods, LocalDate today) {
        return periods.stream()
                .filter(p -> p.contains(today))
                .max(Comparator.comparing(Period::start).thenComparingInt(Period::code));
    }
}
