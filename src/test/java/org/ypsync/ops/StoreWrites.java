package org.ypsync.ops;

import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.sql.SqlConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.ypsync.store.Store;

/**
 * ypsync's store-write routes (routes/operations.camel.yaml, camel-sql) on a store, without the stages: for tests
 * that write dead letters the way a run does, and clear the ones a run resolved.
 */
final class StoreWrites implements AutoCloseable {
    private final DefaultCamelContext context = new DefaultCamelContext();
    private final ProducerTemplate template;

    private StoreWrites(Store store) throws Exception {
        context.getRegistry().bind("ypsyncDataSource", store.dataSource());
        context.getRegistry().bind("deadLetters", new DeadLetters(null, null));
        context.start();
        PluginHelper.getRoutesLoader(context).loadRoutes(
                PluginHelper.getResourceLoader(context).resolveResource("classpath:routes/operations.camel.yaml"));
        template = context.createProducerTemplate();
    }

    static StoreWrites on(Store store) {
        try {
            return new StoreWrites(store);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A dead letter of run {@code runId}, through the route dead-letter-write. */
    void deadLetter(String stage, Integer instance, String recordKey, String reason, String errorCode, String payload,
                    String runId) {
        check(template.send(DeadLetters.WRITE, ex -> ex.getIn().setBody(
                DeadLetters.row(stage, instance, recordKey, reason, errorCode, payload, runId))));
    }

    /** After run {@code runId} of {@code stage} did its work: its resolved dead letters leave. Returns how many. */
    int clearResolved(String stage, String runId) {
        Map<String, Object> body = new HashMap<>(Map.of("stage", stage, "runId", runId));
        Exchange done = check(template.send("direct:dead-letters-resolved", ex -> ex.getIn().setBody(body)));
        return done.getMessage().getHeader(SqlConstants.SQL_UPDATE_COUNT, Integer.class);
    }

    private static Exchange check(Exchange done) {
        Throwable failure = done.getException() != null ? done.getException()
                : done.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return done;
    }

    @Override
    public void close() {
        context.stop();
    }
}
