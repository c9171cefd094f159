package org.ypsync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTest {
    private final Floor floor = new Floor(20, 2, 2, 4800, 100);

    @Test
    void writesNeedTheFewestBatchesAtTheRecordCapOrTheFieldBudget() {
        assertEquals(100, floor.batchSize("core_user_create_users"));
        assertEquals(3, floor.calls(new Floor.Step("users", "core_user_create_users", true, 250, 0)));
        // a tight field budget binds before the record cap: (404 - 4) / 10 fields per user = 40
        Floor tight = new Floor(20, 2, 1, 404, 100);
        assertEquals(40, tight.batchSize("core_user_create_users"));
        assertEquals(7, tight.calls(new Floor.Step("users", "core_user_create_users", true, 250, 0)));
        // reads count as made
        assertEquals(4, floor.calls(new Floor.Step("users", "core_user_get_users_by_field", false, 0, 4)));
    }

    @Test
    void eachFunctionHasTheClientsOwnCap() {
        Floor caps = new Floor(20, 2, 2, 4800, 100, java.util.Map.of("core_cohort_add_cohort_members", 1000,
                "core_cohort_delete_cohort_members", 1000));
        assertEquals(100, caps.batchSize("core_user_create_users"));
        // 14,779 members of the M full sync: 15 calls of at most 1,000 (the budget would allow (4800 - 4) / 4 = 1,199)
        assertEquals(1000, caps.batchSize("core_cohort_add_cohort_members"));
        assertEquals(15, caps.calls(new Floor.Step("groups", "core_cohort_add_cohort_members", true, 14_779, 0)));
        // the budget still binds first where the cap is above it
        Floor tight = new Floor(20, 2, 1, 404, 100, java.util.Map.of("core_cohort_add_cohort_members", 1000));
        assertEquals(100, tight.batchSize("core_cohort_add_cohort_members"));
        assertEquals(40, tight.batchSize("core_user_create_users"));
    }

    @Test
    void aStepsFloorIsTheMakespanOfItsBatchesOverTheLanes() {
        // 250 rows: batches 100, 100, 50 cost 220, 220, 120 ms; two lanes: 220 | 220 + 120
        assertEquals(340.0, floor.millis(new Floor.Step("users", "core_user_create_users", true, 250, 0)), 1e-9);
        // one lane: everything in a row
        Floor one = new Floor(20, 2, 1, 4800, 100);
        assertEquals(560.0, one.millis(new Floor.Step("users", "core_user_create_users", true, 250, 0)), 1e-9);
        // reads: 3 calls of 20 ms on 2 lanes
        assertEquals(40.0, floor.millis(new Floor.Step("users", "core_cohort_get_cohorts", false, 0, 3)), 1e-9);
        assertEquals(0.0, floor.millis(new Floor.Step("users", "core_user_create_users", true, 0, 0)), 1e-9);
    }

    @Test
    void stepsRunOneAfterTheOther() {
        List<Floor.Step> steps = List.of(new Floor.Step("users", "core_user_create_users", true, 250, 0),
                new Floor.Step("users", "core_cohort_add_cohort_members", true, 100, 0));
        assertEquals(340.0 + 220.0, floor.millis(steps), 1e-9);
    }

    @Test
    void makespanPlacesLongestFirst() {
        assertEquals(5.0, Floor.makespan(List.of(1.0, 2.0, 3.0, 4.0), 2), 1e-9);
        assertEquals(10.0, Floor.makespan(List.of(1.0, 2.0, 3.0, 4.0), 1), 1e-9);
        assertEquals(0.0, Floor.makespan(List.of(), 3), 1e-9);
    }

    @Test
    void theMachineLineHasEveryFieldInOrder() {
        assertEquals("bench: size=L full_s=61.25 floor_s=55.00 ratio=1.11 rerun_writes=0 rerun_s=2.50"
                        + " mutate_s=4.75 peak_heap_mb=180",
                Bench.machineLine(BenchSize.L, 61.25, 55.0, 0, 2.5, 4.75, 180));
        assertEquals("bench: size=S full_s=1.00 floor_s=0.00 ratio=- rerun_writes=3 rerun_s=0.10 mutate_s=0.20"
                + " peak_heap_mb=50", Bench.machineLine(BenchSize.S, 1.0, 0.0, 3, 0.1, 0.2, 50));
    }

    @Test
    void sizesKeepTheProportionsOfTheIssuesL() {
        var l = BenchSize.L.perInstance();
        assertEquals(10_000, l.students());
        assertEquals(750, l.trainers());
        assertEquals(4_000, l.tutors());
        assertEquals(600, l.diplomaGroups());
        assertEquals(200, l.fcGroups());
        var xl = BenchSize.XL.perInstance();
        assertEquals(100_000, 2 * (xl.students() + xl.trainers() + xl.tutors()), 2);
        var s = BenchSize.S.perInstance();
        assertEquals(1_000, 2 * (s.students() + s.trainers() + s.tutors()), 2);
        assertEquals(BenchSize.XL, BenchSize.parse("xl"));
    }

    @Test
    void optionsAreParsedAndBadOnesRefused() {
        Bench.Options o = Bench.Options.parse(List.of("--size", "M", "--moodle-latency", "5", "--moodle-item-latency",
                "0.5"));
        assertEquals(BenchSize.M, o.size());
        assertEquals(5.0, o.latencyMs());
        assertEquals(0.5, o.itemLatencyMs());
        assertThrows(IllegalArgumentException.class, () -> Bench.Options.parse(List.of("--size")));
        assertThrows(IllegalArgumentException.class, () -> Bench.Options.parse(List.of("--moodle-latency", "-1")));
        assertThrows(IllegalArgumentException.class, () -> Bench.Options.parse(List.of("--bogus")));
    }
}
