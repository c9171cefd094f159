package org.ypsync.moodle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.ypsync.TestMain;

/**
 * For the tests of the Moodle client over real HTTP: ypsync's real Camel Main (its route direct:moodle-call and its
 * moodleHttp component configured from moodle.http.*), schedules off, an in-memory store. One context per pair of
 * timeouts, started on first use and kept for the JVM (a context costs about a second to start).
 */
public final class MoodleRoute {
    private static final Map<String, Main> MAINS = new ConcurrentHashMap<>();

    private MoodleRoute() {
    }

    /** The context whose moodleHttp component has the timeouts of these settings. */
    public static CamelContext context(MoodleSettings settings) {
        String key = settings.connectTimeout().toMillis() + "/" + settings.readTimeout().toMillis();
        Main main = MAINS.computeIfAbsent(key, k -> {
            Main m = TestMain.start(Map.of("moodle.http.connect-timeout-ms",
                    String.valueOf(settings.connectTimeout().toMillis()), "moodle.http.read-timeout-ms",
                    String.valueOf(settings.readTimeout().toMillis())));
            Runtime.getRuntime().addShutdownHook(new Thread(m::stop));
            return m;
        });
        return main.getCamelContext();
    }

    /** A client sending through direct:moodle-call, as ypsync's own. */
    public static MoodleClient client(MoodleSettings settings) {
        return new MoodleClient(settings, new CamelMoodleTransport(context(settings), settings));
    }
}
