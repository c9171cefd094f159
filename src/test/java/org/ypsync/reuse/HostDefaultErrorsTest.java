package org.ypsync.reuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.ops.StageRun;
import org.ypsync.store.Store;

/**
 * ypsync inside a host whose own default error handling (a route configuration without id, host/defaults) swallows
 * every failure: ypsync's routes name their own route configurations, so a record that fails in ypsync's Moodle
 * batching route still becomes a ypsync dead letter, counted on the stage run, and the host's handler sees nothing
 * of it (while it does see a failure of the host's own route).
 */
class HostDefaultErrorsTest {
    private static final String REFUSED = "cohort refused (test)";

    @Test
    void aFailingYpsyncRecordIsAYpsyncDeadLetterAndTheHostsDefaultHandlerSeesNothing() throws Exception {
        try (DemoEnvironment env = DemoEnvironment.start(22L, DataSetSize.DEMO,
                "jdbc:h2:mem:estate-defaults-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
            Map<String, Object> overrides = new HashMap<>(env.properties());
            overrides.put("ypsync.schedule.enabled", "false");
            overrides.put("camel.main.routes-include-pattern", "classpath:routes/*.camel.yaml,"
                    + "classpath:host/routes/*.camel.yaml,classpath:host/defaults/*.camel.yaml");
            Main host = HostApplication.create(overrides);
            host.start();
            try {
                CamelContext context = host.getCamelContext();
                EstateAudit audit = context.getRegistry().lookupByNameAndType("estateAudit", EstateAudit.class);
                ProducerTemplate template = context.createProducerTemplate();

                // the host's default handling is live: its own route's failure is swallowed and counted
                template.requestBody("direct:estate-fails", (Object) null);
                assertEquals(List.of("estate-fails: estate failure (test)"), audit.swallowed());

                // the first site cohort of the run fails in ypsync's batching route moodle-create-cohorts
                List<Object> refused = new ArrayList<>();
                AdviceWith.adviceWith(context, "moodle-create-cohorts", a -> a.weaveById("moodle-create-cohorts-last")
                        .before().process(e -> refuseFirst(e, refused)));
                StageRun cache = template.requestBody("direct:cache", null, StageRun.class);
                assertEquals(StageRun.Outcome.OK, cache.outcome(), cache.summary());
                StageRun cohorts = template.requestBody("direct:site-cohorts", null, StageRun.class);

                assertEquals(1, refused.size());
                assertEquals(1, cohorts.counts().failed(), cohorts.summary());
                assertTrue(cohorts.counts().created() > 0, "the other cohorts are created: " + cohorts.summary());
                Store store = context.getRegistry().lookupByNameAndType("ypsyncStore", Store.class);
                try (Connection c = store.dataSource().getConnection();
                     ResultSet rs = c.createStatement().executeQuery("SELECT stage, reason FROM dead_letter")) {
                    assertTrue(rs.next(), "a dead letter");
                    assertEquals("site-cohorts", rs.getString(1));
                    assertTrue(rs.getString(2).contains(REFUSED), rs.getString(2));
                    assertTrue(!rs.next(), "one dead letter");
                }
                // nothing of ypsync's reached the host's default handler
                assertEquals(List.of("estate-fails: estate failure (test)"), audit.swallowed());
            } finally {
                host.stop();
            }
        }
    }

    private static void refuseFirst(Exchange exchange, List<Object> refused) {
        if (exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class) == 0) {
            refused.add(exchange.getIn().getBody());
            throw new IllegalStateException(REFUSED);
        }
    }
}
