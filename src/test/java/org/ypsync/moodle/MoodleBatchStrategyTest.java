package org.ypsync.moodle;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** split -> aggregate(MoodleBatchStrategy) -> mock, in a CamelContext built by the test. */
class MoodleBatchStrategyTest extends CamelTestSupport {

    static final int BUDGET = 500;
    static final int MAX_RECORDS = 40;

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                batching(this, "direct:records", "users", new MoodleBatchStrategy(BUDGET, MAX_RECORDS), "mock:batches");
                batching(this, "direct:small", "users", new MoodleBatchStrategy(1000, 3), "mock:small");
            }
        };
    }

    /**
     * A batching route as routes/moodle.camel.yaml has it: the records split, aggregated under {@code key} into the
     * batches of {@code strategy}, each batch to {@code to}.
     */
    static void batching(RouteBuilder routes, String from, String key, MoodleBatchStrategy strategy, String to) {
        routes.from(from)
                .split(routes.body())
                // with a pre-completing strategy Camel ignores completionPredicate: this flag ends the tail
                .setHeader(MoodleBatchStrategy.COMPLETE_ALL_INCLUSIVE,
                        routes.simple("${exchangeProperty.CamelSplitComplete}"))
                .aggregate(routes.constant(key), strategy)
                .completionPredicate(routes.simple("${exchangeProperty.CamelSplitComplete}"))
                // completed batches run on the caller's thread: sendBody returns when all are done
                .executorService(new SynchronousExecutorService())
                .to(to);
    }

    /** Users with 6 to 6+2k fields: some carry custom fields, so the field count varies. */
    static List<Map<String, Object>> users(int n) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("username", "u" + i);
            u.put("firstname", "F");
            u.put("lastname", "L");
            u.put("email", "u" + i + "@example.org");
            u.put("createpassword", true);
            u.put("idnumber", "EXT-" + i);
            u.put("city", i % 3 == 0 ? null : "Paris"); // nulls cost nothing
            List<Map<String, Object>> cf = new ArrayList<>();
            for (int k = 0; k < i % 7; k++) {
                cf.add(Map.of("type", "f" + k, "value", "v"));
            }
            u.put("customfields", cf);
            out.add(u);
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void noBatchExceedsTheBudgetAndNothingIsLost() throws Exception {
        List<Map<String, Object>> input = users(1000);
        MockEndpoint mock = getMockEndpoint("mock:batches");
        template.sendBody("direct:records", input);
        // the split is synchronous: every batch has reached the mock when sendBody returns
        mock.assertIsSatisfied();

        List<Object> seen = new ArrayList<>();
        int byBudget = 0;
        List<Exchange> batches = mock.getReceivedExchanges();
        for (int b = 0; b < batches.size(); b++) {
            List<Map<String, Object>> batch = batches.get(b).getMessage().getBody(List.class);
            int fields = FormEncoder.countFields(Map.of("users", batch));
            assertTrue(fields <= BUDGET, "batch " + b + " has " + fields + " fields");
            assertTrue(batch.size() <= MAX_RECORDS, "batch " + b + " has " + batch.size() + " records");
            assertEquals(fields, batches.get(b).getProperty(MoodleBatchStrategy.FIELDS, Integer.class));
            if (b + 1 < batches.size()) {
                Map<String, Object> next = (Map<String, Object>) batches.get(b + 1).getMessage().getBody(List.class).get(0);
                // a batch closes only when the next record would not fit
                boolean full = batch.size() == MAX_RECORDS || fields + FormEncoder.countLeaves(next) > BUDGET;
                assertTrue(full, "batch " + b + " closed early");
                if (batch.size() < MAX_RECORDS) {
                    byBudget++;
                }
            }
            seen.addAll(batch);
        }
        assertEquals(input.size(), seen.size(), "record count");
        assertTrue(input.equals(seen), "every record once, in order");
        assertTrue(byBudget > 0, "the field budget, not only the record cap, cut some batches");
        System.out.printf("MoodleBatchStrategy: 1000 records -> %d batches (%d cut by the field budget)%n",
                batches.size(), byBudget);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRecordCapCutsAndTheLastGroupCompletes() throws Exception {
        MockEndpoint mock = getMockEndpoint("mock:small");
        mock.expectedMessageCount(3);
        template.sendBody("direct:small", users(7));
        mock.assertIsSatisfied();
        assertEquals(List.of(3, 3, 1), mock.getReceivedExchanges().stream()
                .map(e -> e.getMessage().getBody(List.class).size()).toList());
    }
}
