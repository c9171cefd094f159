package org.ypsync.moodle;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ypsync.moodle.emulator.MoodleEmulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole write path in a route: split -> aggregate(MoodleBatchStrategy) -> MoodleClient.createUsers, against
 * the emulator over HTTP with a low max_input_vars.
 */
class MoodleBatchRouteHttpTest extends CamelTestSupport {

    final MoodleEmulator moodle = new MoodleEmulator().maxInputVars(1000).start();
    final MoodleSettings settings = MoodleSettings.of(moodle.url(), moodle.token())
            .withInputVars(1000, 100).withMaxRecordsPerBatch(200)
            .withRetry(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(50));
    final MoodleClient client = MoodleRoute.client(settings);

    @AfterEach
    void stopMoodle() {
        moodle.close();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            @SuppressWarnings("unchecked")
            public void configure() {
                from("direct:users")
                        .split(body())
                        .setHeader(MoodleBatchStrategy.COMPLETE_ALL_INCLUSIVE, simple("${exchangeProperty.CamelSplitComplete}"))
                        .aggregate(constant("users"), new MoodleBatchStrategy(settings))
                        .completionPredicate(simple("${exchangeProperty.CamelSplitComplete}"))
                        // completed batches run on the caller's thread: sendBody returns when all are done
                        .executorService(new SynchronousExecutorService())
                        .process(e -> e.getMessage().setBody(client.createUsers(e.getMessage().getBody(List.class))))
                        .to("mock:results");
            }
        };
    }

    @Test
    void everyUserIsCreatedInBatchesUnderTheBudget() throws Exception {
        List<Map<String, Object>> users = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            users.add(MoodleClientTest.user(i));
        }
        template.sendBody("direct:users", users);
        MockEndpoint mock = getMockEndpoint("mock:results");
        int created = 0;
        int calls = 0;
        for (var e : mock.getReceivedExchanges()) {
            BatchResult r = e.getMessage().getBody(BatchResult.class);
            created += r.successes().size();
            calls += r.calls();
        }
        System.out.printf("route over HTTP: 1000 users -> %d batches, %d calls, %d created%n",
                mock.getReceivedExchanges().size(), calls, created);
        assertEquals(1000, created);
        assertEquals(1000, moodle.users().stream().filter(u -> u.username().startsWith("user")).count());
        assertEquals(calls, moodle.calls("core_user_create_users"), "one call per batch: none was cut again");
        assertEquals(mock.getReceivedExchanges().size(), calls);
    }
}
