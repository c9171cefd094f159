package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ypsync.Launch;
import org.ypsync.ops.StageRun;

/** One run of one stage in a one-shot ypsync (as {@code run <stage>} does), and a count read from the store. */
final class OneRun {
    private OneRun() {
    }

    /** Runs {@code stage} once with {@code config} and returns its run. */
    static StageRun of(Map<String, String> config, String stage) throws Exception {
        List<StageRun> runs = new ArrayList<>();
        Launch.once(config, runner -> {
            runs.addAll(runner.run(stage, false, false));
            return runs;
        }, System.out);
        assertEquals(1, runs.size(), runs.toString());
        return runs.get(0);
    }

    /** The first column of the first row of {@code sql} on the H2 store at {@code url}. */
    static int count(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "", "");
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
