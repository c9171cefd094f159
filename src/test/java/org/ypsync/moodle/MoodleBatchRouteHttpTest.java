package org.ypsync.moodle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.ypsync.TestMain;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRunner;

/**
 * The real write path of the users stage (routes/moodle.camel.yaml, route moodle-create-users from the moodle-batch
 * template) against the emulator over HTTP with a low max_input_vars (300): the route's step
 * moodle-create-users-write is advised to show each batch to a mock on its way. No batch exceeds the field budget,
 * each is one call (Moodle never had to cut one), and every user the plan creates exists in Moodle.
 */
class MoodleBatchRouteHttpTest {

    @Test
    void everyUserIsCreatedInBatchesUnderTheBudget() throws Exception {
        try (DemoEnvironment env = DemoEnvironment.start(11L, DataSetSize.DEMO, TestMain.h2("batch-route"))) {
            env.moodle().maxInputVars(300).profileField("netypareo_usertype");
            Map<String, String> props = new HashMap<>(env.properties());
            props.put("ypsync.store.url", TestMain.h2("batch-route-store"));
            props.put("moodle.max-input-vars", "300");
            props.put("moodle.input-vars-margin", "30");
            props.put("moodle.max-records-per-batch.core_user_create_users", "200");
            Main main = TestMain.start(props);
            try {
                CamelContext context = main.getCamelContext();
                AdviceWith.adviceWith(context, "moodle-create-users",
                        a -> a.weaveById("moodle-create-users-write").before().to("mock:batches"));
                MockEndpoint batches = context.getEndpoint("mock:batches", MockEndpoint.class);
                StageRunner runner = context.getRegistry().lookupByNameAndType("stageRunner", StageRunner.class);
                StageRun first = null;
                for (String stage : List.of("cache", "site-cohorts", "users")) {
                    first = runner.run(stage, false, false).get(0);
                    assertTrue(first.outcome() != StageRun.Outcome.FAILED, first.summary());
                }
                int created = first.counts().created();
                StageRun again = runner.run("users", false, false).get(0);
                assertEquals(0, again.counts().created(), "the second run has nobody left to create");

                int sent = 0;
                for (Exchange e : batches.getReceivedExchanges()) {
                    List<?> batch = e.getIn().getBody(List.class);
                    assertTrue(batch.size() <= 200, batch.size() + " records in one batch");
                    assertTrue(FormEncoder.countFields(Map.of("users", batch)) <= 270,
                            FormEncoder.countFields(Map.of("users", batch)) + " form fields in one batch");
                    sent += batch.size();
                }
                assertTrue(batches.getReceivedCounter() > 1, "the plan's users took several batches");
                assertEquals(batches.getReceivedCounter(), env.moodle().calls("core_user_create_users"),
                        "one call per batch: none was cut or sent again");
                assertTrue(created > 0 && created <= sent, created + " users created, " + sent + " sent");
            } finally {
                main.stop();
            }
        }
    }
}
