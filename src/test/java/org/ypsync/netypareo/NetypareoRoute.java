package org.ypsync.netypareo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.ypsync.TestMain;

/**
 * For the tests: ypsync's real Camel Main (its routes, its netypareoHttp component configured from
 * netypareo.http.*), schedules off, an in-memory store; NetYpareo reached only through the route
 * {@code direct:netypareo-get} (and {@code direct:netypareo-read}), as the cache stage and check reach it.
 */
public final class NetypareoRoute implements AutoCloseable {
    private static final String OPEN = "direct:test-netypareo-open";
    private static final String HANDLER = "testRecordsHandler";
    private final Main main;
    private final ProducerTemplate template;

    private NetypareoRoute(Main main) {
        this.main = main;
        this.template = main.getCamelContext().createProducerTemplate();
    }

    /** Starts the context with these NetYpareo timeouts (ms). */
    public static NetypareoRoute start(long connectTimeoutMs, long readTimeoutMs) throws Exception {
        return start(connectTimeoutMs, readTimeoutMs, Map.of());
    }

    /** Starts the context with these NetYpareo timeouts (ms) and other keys ({@code netypareo.http.*}...). */
    public static NetypareoRoute start(long connectTimeoutMs, long readTimeoutMs, Map<String, String> keys)
            throws Exception {
        Map<String, String> all = new java.util.HashMap<>(keys);
        all.put("netypareo.http.connect-timeout-ms", String.valueOf(connectTimeoutMs));
        all.put("netypareo.http.read-timeout-ms", String.valueOf(readTimeoutMs));
        Main main = TestMain.start(all);
        main.getCamelContext().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the records are read while the exchange is in flight, as the cache stage's split reads them
                from(OPEN).routeId("test-netypareo-open").to("direct:netypareo-get").process(e -> {
                    Handler handler = e.getProperty(HANDLER, Handler.class);
                    handler.handle(e.getIn().getBody(RecordStream.class));
                });
            }
        });
        return new NetypareoRoute(main);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** GETs the path and hands its record stream to {@code records} while the answer streams in. */
    public void open(NetypareoInstance instance, String path, Consumer<RecordStream> records) {
        Handler handler = new Handler(records);
        Exchange done = template.send(OPEN, e -> {
            e.setProperty(NetypareoCalls.INSTANCE, instance);
            e.setProperty(NetypareoCalls.PATH, path);
            e.setProperty(HANDLER, handler);
        });
        rethrow(handler.failure.get());
        rethrow(done.getException());
    }

    /** All records of a path, through direct:netypareo-read. */
    @SuppressWarnings("unchecked")
    public List<JsonNode> readAll(NetypareoInstance instance, String path) {
        Exchange done = template.send("direct:netypareo-read", e -> {
            e.setProperty(NetypareoCalls.INSTANCE, instance);
            e.setProperty(NetypareoCalls.PATH, path);
        });
        rethrow(done.getException());
        return done.getMessage().getBody(List.class);
    }

    /** Empty when the path answers with a usable body, otherwise the problem (as check reports it). */
    public Optional<String> probe(NetypareoInstance instance, String path) {
        try {
            open(instance, path, RecordStream::hasNext);
            return Optional.empty();
        } catch (NetypareoException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public void close() {
        template.stop();
        main.stop();
    }

    private static void rethrow(Throwable t) {
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    private static final class Handler {
        private final Consumer<RecordStream> records;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Handler(Consumer<RecordStream> records) {
            this.records = records;
        }

        void handle(RecordStream stream) {
            try (stream) {
                records.accept(stream);
            } catch (Throwable t) {
                failure.set(t);
            }
        }
    }
}
