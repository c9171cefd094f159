package org.ypsync.ops;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ypsync.moodle.MoodleTransport;

/**
 * A {@link MoodleTransport} that times every call for the metrics (function and outcome), then hands the answer
 * on unchanged. The form body holds the token: only the {@code wsfunction} value is read from it.
 */
public final class ObservedMoodleTransport implements MoodleTransport {
    private static final Pattern FUNCTION = Pattern.compile("(?:^|&)wsfunction=([A-Za-z0-9_]+)");
    private static final Pattern ERRORCODE = Pattern.compile("\"errorcode\"\\s*:\\s*\"([A-Za-z0-9_]{1,60})\"");

    private final MoodleTransport delegate;
    private final YpsyncMetrics metrics;

    public ObservedMoodleTransport(MoodleTransport delegate, YpsyncMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public Reply post(String formBody) throws IOException, InterruptedException {
        String function = function(formBody);
        long start = System.nanoTime();
        String outcome = "ioerror";
        try {
            Reply reply = delegate.post(formBody);
            outcome = outcome(reply);
            return reply;
        } catch (MoodleTransport.Timeout e) {
            outcome = "timeout";
            throw e;
        } finally {
            metrics.moodleCall(function, outcome, System.nanoTime() - start);
        }
    }

    static String function(String formBody) {
        Matcher m = FUNCTION.matcher(formBody == null ? "" : formBody);
        return m.find() ? m.group(1) : "unknown";
    }

    /** ok, moodle_&lt;errorcode&gt; (Moodle answers its errors with HTTP 200) or http_&lt;status&gt;. */
    static String outcome(Reply reply) {
        if (reply.status() != 200) {
            return "http_" + reply.status();
        }
        String body = reply.body() == null ? "" : reply.body();
        // an exception object is small; a batch answer is not scanned past its start
        String head = body.length() > 2000 ? body.substring(0, 2000) : body;
        if (head.startsWith("{") && head.contains("\"exception\"")) {
            Matcher m = ERRORCODE.matcher(head);
            return m.find() ? "moodle_" + m.group(1) : "moodle_error";
        }
        return "ok";
    }

    @Override
    public String toString() {
        return "Observed[" + delegate + "]";
    }
}
