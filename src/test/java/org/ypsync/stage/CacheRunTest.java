package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.ypsync.netypareo.NetypareoInstance;
import org.ypsync.store.CacheKind;

class CacheRunTest {
    /** A record NetYpareo lists twice in one run is staged once (the second one is a dead letter). */
    @Test
    void duplicateKeysInOneRunAreReportedNotStagedTwice() {
        CacheRun run = new CacheRun(new NetypareoInstance(0, "a", null, "http://h/", "t"), LocalDate.of(2026, 12, 3));
        assertTrue(run.firstTime(CacheKind.STUDENTS, "1"));
        assertFalse(run.firstTime(CacheKind.STUDENTS, "1"));
        assertTrue(run.firstTime(CacheKind.STUDENTS, "2"));
        assertTrue(run.firstTime(CacheKind.STAFF, "1"), "the key is unique per kind");
        run.close();
        assertTrue(run.firstTime(CacheKind.STUDENTS, "1"), "a closed run forgets its keys");
    }
}
