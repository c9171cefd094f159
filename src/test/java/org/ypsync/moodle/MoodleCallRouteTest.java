package org.ypsync.moodle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ypsync.TestMain;
import org.ypsync.moodle.emulator.MoodleEmulator;

/**
 * The real route direct:moodle-call in Camel's own test idiom: its http step (id moodle-http) advised with a mock
 * in front, so every call the client makes, those of a bisection included, is counted by the endpoint, as the
 * endpoint's JMX statistics count them in production.
 */
class MoodleCallRouteTest {
    MoodleEmulator moodle;
    Main main;

    @BeforeEach
    void start() {
        moodle = new MoodleEmulator().start();
        main = TestMain.start(Map.of());
    }

    @AfterEach
    void stop() {
        main.stop();
        moodle.close();
    }

    @Test
    void everyCallOfABisectionGoesThroughTheMoodleEndpoint() throws Exception {
        CamelContext context = main.getCamelContext();
        AdviceWith.adviceWith(context, "moodle-call", a -> a.weaveById("moodle-http").before().to("mock:moodle-http"));
        MockEndpoint calls = context.getEndpoint("mock:moodle-http", MockEndpoint.class);

        // an e-mail Moodle refuses but no local rule can see: it belongs to a user already in Moodle
        moodle.createUser("existing", "Ex", "Isting", "USER037@example.org", "X-1", "manual");
        moodle.resetCounters();
        MoodleSettings settings = MoodleSettings.of(moodle.url(), moodle.token());
        MoodleClient client = new MoodleClient(settings, new CamelMoodleTransport(context, settings));
        BatchResult r = client.createUsers(MoodleClientHttpTest.users(0, 100));

        assertEquals(99, r.successes().size());
        assertEquals(37, r.failures().get(0).index());
        assertTrue(r.calls() > 1, "the all-or-nothing batch was bisected");
        assertEquals(r.calls(), calls.getReceivedCounter(), "each call of the bisection through the endpoint");
        assertEquals(moodle.calls("core_user_create_users"), calls.getReceivedCounter(), "and each reached Moodle");
        for (var exchange : calls.getReceivedExchanges()) {
            assertEquals("POST", exchange.getIn().getHeader("CamelHttpMethod"));
            assertTrue(exchange.getIn().getBody(String.class).contains("wsfunction=core_user_create_users"));
            assertFalse(exchange.getIn().getHeaders().toString().contains(moodle.token()), "no token in a header");
        }
        assertTrue(context.getEndpoints().stream().map(e -> e.getEndpointUri())
                .anyMatch(u -> u.startsWith("moodleHttp://127.0.0.1:" + settings.endpoint().getPort()
                        + "/webservice/rest/server.php?")), "the endpoint is the site's REST URL, no token in it");
    }
}
