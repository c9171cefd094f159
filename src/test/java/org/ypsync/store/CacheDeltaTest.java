package org.ypsync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ypsync.store.CacheDelta.Seen;
import org.ypsync.store.CacheRepository.KindCounts;

/** The Java comparison of a run's records with the stored rows: what is staged, what is gone, what is counted. */
class CacheDeltaTest {
    private static StagedRecord member(int group, int student) {
        return new StagedRecord(CacheKind.FC_MEMBERS, group + ":" + student, "member", List.of(group, student));
    }

    private static StagedRecord site(int code, String hash) {
        return new StagedRecord(CacheKind.SITES, String.valueOf(code), hash, java.util.Arrays.asList(code, "S", "s", false));
    }

    @Test
    void unchangedRecordsAreOnlyCountedAndTheStoredOnesNotReadAreGone() {
        CacheDelta delta = new CacheDelta();
        delta.stored(CacheKind.SITES, "1", "a", false);
        delta.stored(CacheKind.SITES, "2", "b", false);
        delta.stored(CacheKind.SITES, "3", "c", false);
        delta.stored(CacheKind.SITES, "4", "d", true);

        assertEquals(Seen.UNCHANGED, delta.see(site(1, "a")));
        assertEquals(Seen.CHANGED, delta.see(site(2, "b2")));
        assertEquals(Seen.CHANGED, delta.see(site(4, "d")), "a gone record listed again is revived");
        assertEquals(Seen.NEW, delta.see(site(5, "e")));
        assertEquals(Seen.DUPLICATE, delta.see(site(5, "e")));
        assertEquals(Seen.DUPLICATE, delta.see(site(1, "a")), "an unchanged record listed twice is a duplicate too");

        assertEquals(List.of("3"), delta.goneKeys(CacheKind.SITES), "not read, not the ones not staged");
        assertEquals(new KindCounts(4, 1, 2, 1), delta.counts(CacheKind.SITES, true));
        assertEquals(new KindCounts(4, 1, 2, 0), delta.counts(CacheKind.SITES, false));
        assertEquals(4, delta.readCounts().get(CacheKind.SITES));
        assertEquals(0, delta.readCounts().get(CacheKind.STUDENTS));
    }

    @Test
    void kindsAreApartAndAKindNeverReadHasAllItsRowsGone() {
        CacheDelta delta = new CacheDelta();
        delta.stored(CacheKind.FC_MEMBERS, "10:1", "member", false);
        delta.stored(CacheKind.DIPLOMA_MEMBERS, "10:1", "member", false);
        assertEquals(Seen.UNCHANGED, delta.see(member(10, 1)));
        assertEquals(List.of(), delta.goneKeys(CacheKind.FC_MEMBERS));
        assertEquals(List.of("10:1"), delta.goneKeys(CacheKind.DIPLOMA_MEMBERS));
    }
}
