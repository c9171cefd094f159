package org.ypsync.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ypsync.store.DeadLetterRepository;

/**
 * The dead-letter channel's end: what failed is written to the dead_letter table with its stage, instance, record
 * key, reason and payload, secrets masked, and counted on the stage run; the stage goes on with the rest.
 */
public final class DeadLetters {
    /** Exchange properties the stages set so that a dead letter says what it was about. */
    public static final String INSTANCE = "ypsyncInstance";
    public static final String RECORD_KEY = "ypsyncRecordKey";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final DeadLetterRepository repository;
    private final YpsyncMetrics metrics;

    public DeadLetters(DeadLetterRepository repository) {
        this(repository, null);
    }

    public DeadLetters(DeadLetterRepository repository, YpsyncMetrics metrics) {
        this.repository = repository;
        this.metrics = metrics;
    }

    /** Called by the dead-letter route with the failed exchange. */
    public void store(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        String reason = cause == null ? "unknown failure" : describe(cause);
        String stage = stageOf(exchange);
        Integer instance = exchange.getProperty(INSTANCE, Integer.class);
        String key = exchange.getProperty(RECORD_KEY, String.class);
        add(exchange, stage, instance, key, reason, cause == null ? null : cause.getClass().getSimpleName(),
                exchange.getIn().getBody());
    }

    /** Adds a dead letter from a stage bean that caught a record-level failure itself. */
    public void add(Exchange exchange, String stage, Integer instance, String recordKey, String reason,
                    String errorCode, Object payload) {
        String masked = Secrets.mask(reason);
        StageRun run = exchange == null ? null : exchange.getProperty(StageRuns.RUN, StageRun.class);
        // a dry run writes nothing, dead letters included: it only counts and reports them
        if (run == null || !run.dryRun()) {
            repository.add(stage, instance, recordKey, masked, errorCode, Secrets.mask(toText(payload)),
                    run == null ? null : run.id());
            if (metrics != null) {
                metrics.deadLetterAdded(stage);
            }
        }
        if (run != null) {
            run.recordFailed();
        }
        LOG.warn("Dead letter [{}] instance {} record {}: {}", stage, instance, recordKey, masked);
    }

    private static String stageOf(Exchange exchange) {
        StageRun run = exchange.getProperty(StageRuns.RUN, StageRun.class);
        if (run != null) {
            return run.stage();
        }
        String route = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        return route == null ? "unknown" : route;
    }

    static String describe(Throwable t) {
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
