package org.ypsync.stage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.ypsync.EmulatedWorld;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.RecordStream.Envelope;
import org.ypsync.netypareo.emulator.DataSetGenerator;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.store.Store;

/**
 * The tables of the cache route tests (which run on {@link org.ypsync.EmulatedWorld}): emptied between tests,
 * counted.
 */
final class CacheTables {
    private static final List<String> TABLES = List.of("np_site", "np_period", "np_student", "np_staff", "np_tutor",
            "np_tutor_student", "np_group", "np_group_member", "np_group_trainer", "cache_count", "cache_status", "cache_staging",
            "dead_letter", "stage_run");

    private CacheTables() {
    }

    /** NetYpareo without faults and with its request counters at zero, and the tables {@link #clear}ed. */
    static void freshStart(EmulatedWorld.Configured test) throws Exception {
        test.env().netypareo().clearFaults();
        test.env().netypareo().resetCounters();
        clear(test.store());
    }

    /** Both demo instances given fresh data again, with the seeds they started with (7 keyed, 8 arrays). */
    static void freshDemoData(EmulatedWorld.Configured test) {
        reset(test, DemoEnvironment.FIRST, 0, Envelope.KEYED, 7L);
        reset(test, DemoEnvironment.SECOND, 1, Envelope.ARRAY, 8L);
    }

    private static void reset(EmulatedWorld.Configured test, String id, int index, Envelope envelope, long seed) {
        String token = test.env().properties().get("netypareo." + id + ".token");
        test.env().netypareo().addInstance(id, token, envelope, DataSetGenerator.generate(seed, index, DataSetSize.DEMO));
    }

    /** Every cache table, the dead letters and the run history emptied. */
    static void clear(Store store) throws Exception {
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String t : TABLES) {
                st.execute("DELETE FROM " + t);
            }
        }
    }

    /** The first column of the first row of a query (a count). */
    static int count(Store store, String sql) throws Exception {
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
