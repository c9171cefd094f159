package org.ypsync.stage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.store.Store;

/**
 * The world of the cache route tests: the demo's two emulated NetYpareo instances (keyed objects and arrays) and an
 * in-memory H2 store, handed to the Camel Main under test as system properties; the cache tables emptied between
 * tests.
 */
final class CacheTestWorld implements AutoCloseable {
    private static final List<String> TABLES = List.of("np_site", "np_period", "np_student", "np_staff", "np_tutor",
            "np_tutor_student", "np_group", "np_group_member", "cache_count", "cache_status", "cache_staging",
            "dead_letter", "stage_run");

    private final DemoEnvironment env;
    private final List<String> set = new ArrayList<>();

    private CacheTestWorld(long seed, DataSetSize size, String name) {
        env = DemoEnvironment.start(seed, size, "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        env.properties().forEach((k, v) -> {
            System.setProperty(k, v);
            set.add(k);
        });
    }

    static CacheTestWorld start(long seed, DataSetSize size, String name) {
        return new CacheTestWorld(seed, size, name);
    }

    DemoEnvironment env() {
        return env;
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

    @Override
    public void close() {
        set.forEach(System::clearProperty);
        env.close();
    }
}
