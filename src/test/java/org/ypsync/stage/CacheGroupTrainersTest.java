package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ypsync.EmulatedWorld;
import org.ypsync.Launcher;
import org.ypsync.TestMain;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.EmulatedData;
import org.ypsync.ops.StageRun;

/**
 * With the courses stage enabled, the cache also reads the trainers of each diploma group from the timetable
 * (groupes-personnels/from-planning), in both envelopes, with the life cycle of every cached record.
 */
@CamelMainTest(mainClass = Launcher.class, properties = {"ypsync.schedule.enabled=false", "sync.courses.enabled=true"})
class CacheGroupTrainersTest implements EmulatedWorld.Configured {
    @RegisterExtension
    static final EmulatedWorld WORLD = EmulatedWorld.of(7L, DataSetSize.DEMO, TestMain.h2("cache-group-trainers"));

    @BeforeEach
    void fresh() throws Exception {
        CacheTables.freshStart(this);
        CacheTables.freshDemoData(this);
    }

    private StageRun cache() {
        List<StageRun> runs = runner().run("cache", false, false);
        assertEquals(StageRun.Outcome.OK, runs.get(0).outcome(), runs.get(0).summary());
        return runs.get(0);
    }

    private int pairs(EmulatedData data) {
        return data.diplomaGroups().stream().mapToInt(g -> data.trainers(g.code()).size()).sum();
    }

    private int count(String where) throws Exception {
        return CacheTables.count(store(), "SELECT COUNT(*) FROM np_group_trainer WHERE " + where);
    }

    @Test
    void theTrainersOfEachGroupAreCachedAndLeaveWhenTheTimetableDropsThem() throws Exception {
        EmulatedData first = env().netypareo().data(DemoEnvironment.FIRST);
        EmulatedData second = env().netypareo().data(DemoEnvironment.SECOND);
        // the demo data of the current period has diploma groups in both instances, so pairs to read in both
        assertTrue(pairs(first) > 0 && pairs(second) > 0);
        cache();
        assertEquals(pairs(first), count("instance_index = 0 AND gone_at IS NULL"));
        assertEquals(pairs(second), count("instance_index = 1 AND gone_at IS NULL"));
        int group = first.diplomaGroups().get(0).code();
        int trainer = first.trainers(group).get(0);
        assertEquals(1, count("instance_index = 0 AND group_code = " + group + " AND staff_code = " + trainer));

        first.removeTrainer(group, trainer);
        cache();
        assertEquals(1, count("instance_index = 0 AND group_code = " + group + " AND staff_code = " + trainer
                + " AND gone_at IS NOT NULL"));
        assertEquals(pairs(first), count("instance_index = 0 AND gone_at IS NULL"));

        first.addTrainer(group, trainer);
        cache();
        assertEquals(1, count("instance_index = 0 AND group_code = " + group + " AND staff_code = " + trainer
                + " AND gone_at IS NULL"));
        assertTrue(env().netypareo().requestCount(DemoEnvironment.FIRST, "groupes-personnels/from-planning") >= 3);
    }
}
