package org.ypsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GuardsTest {
    @ParameterizedTest(name = "{0} suspensions of {1} at {2}: trips={3}")
    @CsvSource({
            "0, 0, 0.10, false",
            "1, 0, 0.10, false",
            "2, 0, 0.10, true",
            "1, 5, 0.10, false",
            "2, 5, 0.10, true",
            "10, 100, 0.10, false",
            "11, 100, 0.10, true",
            "1, 1, 0.10, false",
            "1, 19, 0.10, false",
            "2, 19, 0.10, true",
            "2, 20, 0.10, false",
            "50, 50, 1.0, false",
            "3, 100, 0, true",
            "1, 100, 0, false",
    })
    void suspensionRule(int planned, int population, double share, boolean trips) {
        assertEquals(trips, Guards.suspensions(planned, population, share).isPresent());
    }

    @ParameterizedTest(name = "{1} removals of {2}: trips={5}")
    @CsvSource({
            "SITE_A, 0, 100, 0.5, 10, false",
            "SITE_A, 50, 100, 0.5, 10, false",
            "SITE_A, 51, 100, 0.5, 10, true",
            "SITE_A, 9, 9, 0.5, 10, false",
            "SITE_A, 10, 10, 0.5, 10, true",
            "SITE_A, 5, 10, 0.5, 10, false",
            "SITE_A, 2, 10, 0.1, 10, true",
            "SITE_A, 1, 10, 0.1, 10, false",
            "SITE_A, 3, 3, 0.5, 0, true",
            "SITE_A, 1, 1, 0.5, 0, false",
    })
    void removalRule(String cohort, int removals, int size, double share, int minSize, boolean trips) {
        assertEquals(trips, Guards.removals(cohort, removals, size, share, minSize).isPresent());
    }

    @Test
    void reasonsNameTheNumbersAndTheWayOut() {
        String s = Guards.suspensions(30, 100, 0.1).orElseThrow();
        assertTrue(s.contains("30 of 100") && s.contains("limit of 10") && s.contains("--force"), s);
        String r = Guards.removals("GRP_846001", 12, 12, 0.5, 10).orElseThrow();
        assertTrue(r.contains("[GRP_846001]") && r.contains("12 of its 12 members (all of them)")
                && r.contains("--force"), r);
        assertThrows(IllegalArgumentException.class, () -> Guards.suspensions(-1, 10, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Guards.suspensions(1, 10, Double.NaN));
    }

    @Test
    void emptySourceTripsOnlyWhenSomethingIsManaged() {
        assertTrue(Guards.emptySource("students", 0, 0).isEmpty());
        assertTrue(Guards.emptySource("students", 1, 500).isEmpty());
        String r = Guards.emptySource("students", 0, 500).orElseThrow();
        assertTrue(r.contains("no students") && r.contains("manages 500") && r.contains("--force"), r);
    }
}
