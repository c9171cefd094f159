package org.ypsync.moodle;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs every logging path of the client (fake transport) and checks no log line carries the token. */
class TokenNeverLoggedTest {

    static final String TOKEN = "f00dfeedcafe0123456789abcdef4242";

    @Test
    void noLogLineOrExceptionCarriesTheToken() {
        MoodleSettings settings = MoodleSettings.of("http://moodle.invalid", TOKEN)
                .withRetry(3, Duration.ofMillis(1), 2.0, Duration.ofMillis(2));
        AtomicInteger n = new AtomicInteger();
        FakeMoodle fake = new FakeMoodle();
        fake.handler(r -> switch (n.incrementAndGet()) {
            case 1 -> new MoodleTransport.Reply(503, "<html>maintenance</html>"); // retried (warn)
            case 2 -> fake.standard(r);                                             // created
            case 3 -> { fake.createUsers(r, u -> null); throw new HttpTimeoutException("timed out"); }
            case 4 -> fake.standard(r);                                             // recovery look-up
            case 5 -> FakeMoodle.invalidParameter();                                // record error
            default -> FakeMoodle.error("moodle_exception", "invalidtoken", "Invalid token - token not found");
        });
        List<String> leaks;
        try (LogCapture logs = new LogCapture()) {
            LoggerFactory.getLogger(getClass()).info("settings: {}", settings);
            MoodleClient client = new MoodleClient(settings, fake, d -> { });
            LoggerFactory.getLogger(getClass()).info("client: {}", client);
            assertTrue(client.createUsers(List.of(MoodleClientTest.user(1))).allSucceeded());
            assertTrue(client.createUsers(List.of(MoodleClientTest.user(2))).allSucceeded());
            MoodleRecordException rec = assertThrows(MoodleRecordException.class,
                    () -> client.call("core_user_create_users", Map.of("users", List.of(MoodleClientTest.user(3)))));
            PreflightReport report = MoodlePreflight.check(client, MoodleClient.FUNCTIONS);
            MoodleFatalException fatal = assertThrows(MoodleFatalException.class, client::getCohorts);
            LoggerFactory.getLogger(getClass()).error("stage stopped", fatal);
            LoggerFactory.getLogger(getClass()).warn("record refused", rec);
            assertEquals("invalidtoken", report.errorcode());
            for (Object o : List.of(rec, fatal, report, client, settings)) {
                assertFalse(String.valueOf(o).contains(TOKEN), o.getClass().getSimpleName());
            }
            assertTrue(logs.events().size() >= 8, "the scenario logged " + logs.events().size() + " lines");
            leaks = logs.leaks(TOKEN);
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void theCaptureWouldSeeALeak() {
        try (LogCapture logs = new LogCapture()) {
            LoggerFactory.getLogger(MoodleClient.class).debug("body wstoken={}", TOKEN);
            LoggerFactory.getLogger(MoodleClient.class).warn("failed", new IllegalStateException("x",
                    new RuntimeException("token " + TOKEN)));
            assertEquals(2, logs.leaks(TOKEN).size());
        }
    }
}
