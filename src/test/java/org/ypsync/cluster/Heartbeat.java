package org.ypsync.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Date;
import org.apache.camel.Exchange;
import org.ypsync.store.Store;

/**
 * Test bean of the heartbeat route (src/test/resources/cluster/heartbeat.camel.yaml): one row per Quartz fire, with
 * the trigger, the node that ran it (system property ypsync.test.node) and the fire time Quartz scheduled.
 */
public class Heartbeat {
    static final String TABLE_DDL = """
            CREATE TABLE cluster_fire (
              node VARCHAR(20) NOT NULL,
              trigger_name VARCHAR(40) NOT NULL,
              scheduled_ms BIGINT NOT NULL,
              fired_ms BIGINT NOT NULL
            )""";

    public void record(Exchange exchange) throws SQLException {
        Store store = exchange.getContext().getRegistry().lookupByNameAndType("ypsyncStore", Store.class);
        Date scheduled = exchange.getMessage().getHeader("scheduledFireTime", Date.class);
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO cluster_fire (node, trigger_name, scheduled_ms, fired_ms) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, System.getProperty("ypsync.test.node"));
            ps.setString(2, exchange.getMessage().getHeader("triggerName", String.class));
            ps.setLong(3, scheduled.getTime());
            ps.setLong(4, System.currentTimeMillis());
            ps.executeUpdate();
        }
    }
}
