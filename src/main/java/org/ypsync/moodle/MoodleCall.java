package org.ypsync.moodle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One web-service call: the form fields (token, function, JSON format, English) flattened and checked against the
 * field budget, sent through the {@link MoodleTransport}, the answer read by its shape and classed into
 * {@link MoodleFatalException} (after which every further call is refused), {@link MoodleRecordException} and
 * {@link MoodleTransientException} (retried with exponential backoff, but never a create that may have been
 * executed). Thread-safe; the token never appears in a log line or exception.
 */
final class MoodleCall {
    /** The client's log category, as before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(MoodleClient.class);

    private final MoodleSettings settings;
    private final MoodleTransport transport;
    private final MoodleClient.Sleeper sleeper;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong requests = new AtomicLong();
    private volatile MoodleFatalException fatal;

    MoodleCall(MoodleSettings settings, MoodleTransport transport, MoodleClient.Sleeper sleeper) {
        this.settings = settings;
        this.transport = transport;
        this.sleeper = sleeper;
    }

    /** HTTP requests sent so far. */
    long requests() {
        return requests.get();
    }

    /** The fatal error that stopped the calls, or null. */
    MoodleFatalException fatal() {
        return fatal;
    }

    /** Counts the HTTP requests of one operation. */
    static final class Calls {
        int n;
    }

    JsonNode call(String function, Map<String, ?> params, Calls calls) {
        int max = settings.retryMaxAttempts();
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(function, params, calls);
            } catch (MoodleTransientException t) {
                boolean unsafe = MoodleClient.NON_IDEMPOTENT.contains(function) && t.mayHaveWritten();
                if (attempt >= max || unsafe || Thread.currentThread().isInterrupted()) {
                    throw t;
                }
                pause(function, attempt, t);
            }
        }
    }

    void pause(String function, int attempt, MoodleTransientException t) {
        Duration d = settings.backoff(attempt);
        LOG.warn("Moodle {} attempt {}/{} failed: {}; retrying in {} ms", function, attempt,
                settings.retryMaxAttempts(), t.errorcode(), d.toMillis());
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MoodleTransientException(function, "interrupted", "interrupted while waiting to retry",
                    false, e);
        }
    }

    /** Exactly one HTTP request. */
    JsonNode attempt(String function, Map<String, ?> params, Calls calls) {
        MoodleFatalException stopped = fatal;
        if (stopped != null) {
            throw new MoodleFatalException(function, stopped.errorcode(),
                    "client stopped after a fatal error in " + stopped.function() + "; no call sent");
        }
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        pairs.add(new SimpleImmutableEntry<>("wstoken", settings.token()));
        pairs.add(new SimpleImmutableEntry<>("wsfunction", function));
        pairs.add(new SimpleImmutableEntry<>("moodlewsrestformat", "json"));
        pairs.add(new SimpleImmutableEntry<>("moodlewssettinglang", "en"));
        pairs.addAll(FormEncoder.flatten(params));
        if (pairs.size() > settings.fieldBudget()) {
            throw new IllegalArgumentException("Moodle " + function + ": " + pairs.size()
                    + " form fields exceed the budget of " + settings.fieldBudget()
                    + " (PHP would silently drop the rest)");
        }
        String body = FormEncoder.encode(pairs);
        calls.n++;
        requests.incrementAndGet();
        long start = System.nanoTime();
        MoodleTransport.Reply reply;
        try {
            reply = transport.post(body);
        } catch (MoodleTransport.Timeout e) {
            throw e.connecting() ? transientFailure(function, "connecttimeout", "connect timed out", false, e)
                    : transientFailure(function, "timeout", "no answer within " + settings.readTimeout(), true, e);
        } catch (ConnectException e) {
            throw transientFailure(function, "connectfailed", "connection refused or unreachable", false, e);
        } catch (IOException e) {
            throw transientFailure(function, "ioerror", e.getClass().getSimpleName() + " during the exchange",
                    true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MoodleTransientException(function, "interrupted", "interrupted", true, e);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        LOG.debug("Moodle {}: HTTP {}, {} fields, {} ms", function, reply.status(), pairs.size(), ms);
        return interpret(function, reply);
    }

    private MoodleTransientException transientFailure(String function, String code, String message,
                                                      boolean mayHaveWritten, Throwable cause) {
        LOG.warn("Moodle {} failed: {} ({})", function, code, message);
        return new MoodleTransientException(function, code, message, mayHaveWritten, cause);
    }

    /** Success or error by the shape of the answer. */
    JsonNode interpret(String function, MoodleTransport.Reply reply) {
        String body = reply.body() == null ? "" : reply.body().strip();
        JsonNode node = null;
        if (!body.isEmpty()) {
            try {
                node = mapper.readTree(body);
            } catch (JsonProcessingException e) {
                node = null;
            }
        }
        if (node != null && node.isObject() && node.has("exception")) {
            String code = node.path("errorcode").asText("");
            String message = node.path("message").isMissingNode() ? null : node.path("message").asText();
            String debug = node.path("debuginfo").isMissingNode() ? null : node.path("debuginfo").asText();
            MoodleException e = MoodleErrors.toException(function, code, message, debug);
            return failWith(e);
        }
        int status = reply.status();
        if (status != 200) {
            if (MoodleErrors.classifyStatus(status) == MoodleErrors.Kind.TRANSIENT) {
                throw transientFailure(function, "http" + status, "HTTP " + status,
                        MoodleErrors.statusMayHaveWritten(status), null);
            }
            return failWith(new MoodleFatalException(function, "http" + status, "HTTP " + status));
        }
        if (node == null) {
            return failWith(new MoodleFatalException(function, "nonjsonresponse",
                    "HTTP 200 without a JSON body (" + body.length() + " chars)"));
        }
        return node;
    }

    private JsonNode failWith(MoodleException e) {
        if (e instanceof MoodleFatalException f) {
            stop(f);
        } else {
            LOG.debug("Moodle {} refused: {} ({})", e.function(), e.errorcode(), e.moodleMessage());
        }
        throw e;
    }

    private void stop(MoodleFatalException f) {
        if (fatal == null) {
            fatal = f;
        }
        LOG.error("Moodle {} fatal error: {} ({}); the client refuses further calls", f.function(), f.errorcode(),
                f.moodleMessage());
    }

    MoodleFatalException unexpected(String function, String what) {
        MoodleFatalException f = new MoodleFatalException(function, "unexpectedresponse", what);
        stop(f);
        return f;
    }
}
