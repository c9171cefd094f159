package org.ypsync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ypsync.ops.StageRun.Outcome;

class CacheFloorTest {
    private static CacheFloor.Served served(String instance, String path, long calls, long bytes) {
        return new CacheFloor.Served(instance, path, calls, bytes);
    }

    @Test
    void pathsBelongToTheirEndpoint() {
        assertEquals("groupes/{group}/apprenants", CacheFloor.endpoint("groupes/846000/apprenants"));
        assertEquals("formation-courte/{from}/{to}/groupes",
                CacheFloor.endpoint("formation-courte/01-09-2026/31-08-2027/groupes"));
        assertEquals("utilisateur/apprenants", CacheFloor.endpoint("utilisateur/apprenants"));
    }

    @Test
    void aCallCostsItsLatencyAndItsKilobytesAndRetriesAreNotNeeded() {
        CacheFloor f = new CacheFloor(100, 1, 1);
        // served twice (a retry): one call is needed, of the average answer (2 KB)
        assertEquals(102.0, f.millis(List.of(served("a", "sites", 2, 4096))), 1e-9);
        assertEquals(List.of(new CacheFloor.Endpoint("sites", 2, 1, 4096, 102.0)),
                f.endpoints(List.of(served("a", "sites", 2, 4096))));
    }

    @Test
    void callsAreSpreadOverTheConcurrencyAndInstancesReadSideBySide() {
        List<CacheFloor.Served> one = new ArrayList<>();
        for (int g = 0; g < 8; g++) {
            one.add(served("a", "groupes/" + g + "/apprenants", 1, 0));
        }
        assertEquals(800.0, new CacheFloor(100, 0, 1).millis(one), 1e-9);
        assertEquals(200.0, new CacheFloor(100, 0, 4).millis(one), 1e-9);
        // a second instance with fewer calls is read beside the first: the slowest instance is the floor
        List<CacheFloor.Served> two = new ArrayList<>(one);
        two.add(served("b", "sites", 1, 0));
        assertEquals(200.0, new CacheFloor(100, 0, 4).millis(two), 1e-9);
        // the endpoint table sums both instances
        List<CacheFloor.Endpoint> e = new CacheFloor(100, 0, 4).endpoints(two);
        assertEquals(new CacheFloor.Endpoint("groupes/{group}/apprenants", 8, 8, 0, 800.0), e.get(0));
    }

    @Test
    void membersWaitForTheirGroupListAndTheDiplomaGroupsForThePeriods() {
        // with many lanes, the chain periods -> diploma groups -> a members call is the floor
        List<CacheFloor.Served> s = List.of(served("a", "periodes", 1, 0), served("a", "formation-longue/groupes", 1, 0),
                served("a", "groupes/1/apprenants", 1, 0), served("a", "groupes/2/apprenants", 1, 0),
                served("a", "utilisateur/apprenants", 1, 0));
        assertEquals(300.0, new CacheFloor(100, 0, 16).millis(s), 1e-9);
        assertEquals(500.0, new CacheFloor(100, 0, 1).millis(s), 1e-9);
        assertEquals(0.0, new CacheFloor(100, 0, 4).millis(List.of()), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> new CacheFloor(100, 0, 0));
    }

    @Test
    void theBenchFailsOnlyWhenAStageFailed() {
        assertEquals(0, Bench.exitCode(List.of(Outcome.OK, Outcome.OK)));
        assertEquals(0, Bench.exitCode(List.of(Outcome.OK, Outcome.RECORDS_FAILED)), "dead letters are measured");
        assertEquals(2, Bench.exitCode(List.of(Outcome.RECORDS_FAILED, Outcome.FAILED)));
    }

    @Test
    void theMachineLineCarriesTheCacheAndMoodleRatios() {
        assertEquals(" cache_s=12.00 cache_floor_s=10.00 cache_ratio=1.20 moodle_ratio=1.05",
                Bench.cacheFields(12, 10, 52.5, 50));
        assertEquals(" cache_s=1.00 cache_floor_s=0.00 cache_ratio=- moodle_ratio=-", Bench.cacheFields(1, 0, 1, 0));
    }

    @Test
    void theNetypareoLatencyOptionsHaveTheIssuesDefaults() {
        Bench.Options d = Bench.Options.parse(List.of());
        assertEquals(150.0, d.netypareoLatencyMs());
        assertEquals(0.2, d.netypareoKbLatencyMs());
        Bench.Options o = Bench.Options.parse(List.of("--netypareo-latency", "5", "--netypareo-kb-latency", "0",
                "--emulator-heap", "300"));
        assertEquals(5.0, o.netypareoLatencyMs());
        assertEquals(0.0, o.netypareoKbLatencyMs());
        assertEquals(300, o.emulatorHeapMb());
        assertThrows(IllegalArgumentException.class, () -> Bench.Options.parse(List.of("--netypareo-latency", "-1")));
    }
}
