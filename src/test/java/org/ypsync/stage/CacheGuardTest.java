package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ypsync.store.CacheKind;

class CacheGuardTest {
    private static final EnumSet<CacheKind> KINDS = EnumSet.of(CacheKind.STUDENTS, CacheKind.STAFF);

    @Test
    void firstRunAndNormalChurnPass() {
        assertEquals(Optional.empty(), CacheGuard.check(Map.of(CacheKind.STUDENTS, 10), Map.of(), KINDS, 0.5));
        assertEquals(Optional.empty(), CacheGuard.check(Map.of(CacheKind.STUDENTS, 95, CacheKind.STAFF, 10),
                Map.of(CacheKind.STUDENTS, 100, CacheKind.STAFF, 10), KINDS, 0.5));
        assertEquals(Optional.empty(), CacheGuard.check(Map.of(CacheKind.STUDENTS, 50),
                Map.of(CacheKind.STUDENTS, 100), KINDS, 0.5), "exactly the ratio is accepted");
    }

    @Test
    void anEmptyAnswerAfterRecordsTrips() {
        Optional<String> why = CacheGuard.check(Map.of(), Map.of(CacheKind.STUDENTS, 37), KINDS, 0.5);
        assertTrue(why.orElseThrow().contains("students fell from 37 to 0"), why.get());
    }

    @Test
    void aPartialAnswerTripsAndNamesEveryKind() {
        Optional<String> why = CacheGuard.check(Map.of(CacheKind.STUDENTS, 49, CacheKind.STAFF, 1),
                Map.of(CacheKind.STUDENTS, 100, CacheKind.STAFF, 10), KINDS, 0.5);
        assertTrue(why.orElseThrow().contains("students fell from 100 to 49"), why.get());
        assertTrue(why.get().contains("staff fell from 10 to 1"), why.get());
        assertTrue(why.get().contains("sync.guard.min-ratio"), why.get());
    }

    @Test
    void kindsNotReadThisRunAreNotJudged() {
        assertEquals(Optional.empty(), CacheGuard.check(Map.of(), Map.of(CacheKind.FC_GROUPS, 5), KINDS, 0.5));
    }
}
