package org.ypsync.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ypsync.store.CacheStatusRepository;

/**
 * Dead letters: what failed becomes a row (stage, instance, record key, reason, payload, secrets masked), counted
 * on the stage run, and is written to table dead_letter by the route {@code dead-letter-write}
 * (routes/operations.camel.yaml, camel-sql); the stage goes on with the rest.
 *
 * <p>The dead-letter channel's route turns its failed exchange into the row ({@link #fromFailure}); a stage bean
 * that caught a record-level failure itself calls {@link #add}, which sends the row to the same route at once.
 */
public final class DeadLetters {
    /** Exchange properties the stages set so that a dead letter says what it was about. */
    public static final String INSTANCE = "ypsyncInstance";
    public static final String RECORD_KEY = "ypsyncRecordKey";
    /** The route that writes one dead letter (its body: a row of {@link #row}). */
    public static final String WRITE = "direct:dead-letter-write";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final ProducerTemplate template;
    private final YpsyncMetrics metrics;

    /** {@code metrics} may be null. */
    public DeadLetters(ProducerTemplate template, YpsyncMetrics metrics) {
        this.template = template;
        this.metrics = metrics;
    }

    /** The dead-letter channel's first step: the failed exchange's dead letter, or null when nothing is written. */
    public Map<String, Object> fromFailure(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        String reason = cause == null ? "unknown failure" : describe(cause);
        Integer instance = exchange.getProperty(INSTANCE, Integer.class);
        String key = exchange.getProperty(RECORD_KEY, String.class);
        return failed(exchange, stageOf(exchange), instance, key, reason,
                cause == null ? null : cause.getClass().getSimpleName(), exchange.getIn().getBody());
    }

    /** Adds a dead letter from a stage bean that caught a record-level failure itself. */
    public void add(Exchange exchange, String stage, Integer instance, String recordKey, String reason,
                    String errorCode, Object payload) {
        Map<String, Object> row = failed(exchange, stage, instance, recordKey, reason, errorCode, payload);
        if (row == null) {
            return;
        }
        Object run = exchange == null ? null : exchange.getProperty(StageRuns.RUN);
        Exchange done = template.send(WRITE, ex -> {
            ex.setProperty(StageRuns.RUN, run);
            ex.getIn().setBody(row);
        });
        if (done.getException() != null) {
            throw new IllegalStateException("dead letter of " + stage + " record " + recordKey + " not written: "
                    + Secrets.mask(done.getException().getMessage()), done.getException());
        }
    }

    /**
     * Counts the failure on the stage run and logs it; returns the row to write, or null in a dry run (which writes
     * nothing, dead letters included: it only counts and reports them).
     */
    private static Map<String, Object> failed(Exchange exchange, String stage, Integer instance, String recordKey,
                                              String reason, String errorCode, Object payload) {
        String masked = Secrets.mask(reason);
        StageRun run = exchange == null ? null : exchange.getProperty(StageRuns.RUN, StageRun.class);
        if (run != null) {
            run.recordFailed();
        }
        LOG.warn("Dead letter [{}] instance {} record {}: {}", stage, instance, recordKey, masked);
        if (run != null && run.dryRun()) {
            return null;
        }
        return row(stage, instance, recordKey, masked, errorCode, Secrets.mask(toText(payload)),
                run == null ? null : run.id());
    }

    /**
     * One dead letter as the parameters of the SQL of dead-letter-write. Callers mask secrets first. {@code runId}
     * null: a dead letter outside any run, which never takes the row of an earlier failure.
     */
    public static Map<String, Object> row(String stage, Integer instance, String recordKey, String reason,
                                          String errorCode, String payload, String runId) {
        Map<String, Object> row = new HashMap<>();
        row.put("stage", stage);
        row.put("instance", instance);
        row.put("recordKey", recordKey);
        row.put("reason", CacheStatusRepository.truncate(reason == null ? "(no reason given)" : reason));
        row.put("errorCode", errorCode);
        row.put("payload", payload);
        row.put("runId", runId);
        row.put("failedAt", Timestamp.from(Instant.now()));
        return row;
    }

    /** dead-letter-write's last step: the row is in the store. */
    public void stored(Exchange exchange) {
        if (metrics != null) {
            metrics.deadLetterAdded((String) exchange.getIn().getBody(Map.class).get("stage"));
        }
    }

    /**
     * dead-letter-write could not write its row: said in the log and on the stage run, which fails (a record whose
     * failure is not in the store must not pass for one that now succeeds).
     */
    public void notStored(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Map<?, ?> row = exchange.getIn().getBody(Map.class);
        String problem = "dead letter of " + row.get("stage") + " record " + row.get("recordKey")
                + " not stored: " + (cause == null ? "unknown error" : describe(cause));
        LOG.error("{}", Secrets.mask(problem));
        StageRun run = exchange.getProperty(StageRuns.RUN, StageRun.class);
        if (run != null) {
            run.fail(problem);
        }
    }

    /**
     * The dead-letter channel itself failed (routeConfiguration ypsync-dead-letter-errors): the failure is logged and
     * fails the stage run, as {@link #notStored} does for a row the store refused; it never re-enters the channel.
     */
    public void lost(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Object body = exchange.getIn().getBody();
        Object key = body instanceof Map<?, ?> row ? row.get("recordKey") : exchange.getProperty(RECORD_KEY);
        String problem = "dead letter of " + stageOf(exchange) + " record " + key + " lost: "
                + (cause == null ? "unknown error" : describe(cause));
        LOG.error("{}", Secrets.mask(problem));
        StageRun run = exchange.getProperty(StageRuns.RUN, StageRun.class);
        if (run != null) {
            run.fail(Secrets.mask(problem));
        }
    }

    private static String stageOf(Exchange exchange) {
        StageRun run = exchange.getProperty(StageRuns.RUN, StageRun.class);
        if (run != null) {
            return run.stage();
        }
        String route = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        return route == null ? "unknown" : route;
    }

    /** The message of t, with that of its cause when it adds to it. */
    public static String describe(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return t.getCause() != null && t.getCause().getMessage() != null && !message.contains(t.getCause().getMessage())
                ? message + " (" + t.getCause().getMessage() + ")" : message;
    }

    static String toText(Object payload) {
        if (payload == null) {
            return null;
        }
        if (payload instanceof String s) {
            return s;
        }
        if (payload instanceof java.io.InputStream || payload instanceof java.util.Iterator<?>) {
            return "(" + payload.getClass().getSimpleName() + ")";
        }
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException | RuntimeException e) {
            return String.valueOf(payload);
        }
    }
}
