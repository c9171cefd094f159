package org.ypsync.stage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.ypsync.EmulatedWorld;
import org.ypsync.store.Store;

/**
 * The tables of the cache route tests (which run on {@link org.ypsync.EmulatedWorld}): emptied between tests,
 * counted.
 */
final class CacheTables {
    private static final List<String> TABLES = List.of("np_site", "np_period", "np_student", "np_staff", "np_tutor",
            "np_tutor_student", "np_group", "np_group_member", "cache_count", "cache_status", "cache_staging",
            "dead_letter", "stage_run");

    private CacheTables() {
    }

    /** NetYpareo without faults and with its request counters at zero, and the tables {@link #clear}ed. */
    static void freshStart(EmulatedWorld.Configured test) throws Exception {
        test.env().netypareo().clearFaults();
        test.env().netypareo().resetCounters();
        clear(test.store());
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
