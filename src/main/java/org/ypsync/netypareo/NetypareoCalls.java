package org.ypsync.netypareo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.converter.stream.CachedOutputStream;

/**
 * The small steps of the route {@code direct:netypareo-get} (routes/cache.camel.yaml) around its
 * {@code netypareoHttp} endpoint: {@link #prepare} the URL, {@link #answer} classes the status and opens the body
 * as a stream of records, {@link #unreachable} classes a call that got no status. Each call is reported to the
 * {@link CallObserver} (metrics). The instance and the path come in as exchange properties; the token goes out as
 * a header the route sets, never into the URL.
 */
public final class NetypareoCalls {
    /** Exchange property: the {@link NetypareoInstance} to call. */
    public static final String INSTANCE = "netypareoInstance";
    /** Exchange property: the path relative to {@code index.php/r/v1/}. */
    public static final String PATH = "netypareoPath";
    /** Exchange property set by {@link #prepare}: the URL the route's toD calls, without its query (no token in it). */
    public static final String URL = "netypareoUrl";
    /** Exchange property: read at most this many records ({@code direct:netypareo-read}); absent: all. */
    public static final String LIMIT = "netypareoLimit";
    /**
     * Exchange property: true to receive a 2xx answer whole before its records are read (Camel's stream cache: in
     * memory, or a temporary file above {@code camel.main.stream-caching-spool-threshold}, deleted when the exchange is
     * done), so that the call is over when {@link #answer} returns and the caller maps the records after it (the
     * cache stage). Absent: the records stream from the connection as the caller reads them (check reads the first
     * ones only).
     */
    public static final String WHOLE = "netypareoWhole";
    private static final String STARTED = "netypareoStarted";
    private static final String FULL_URL = "netypareoFullUrl";

    /**
     * Told of every GET: instance id, path, outcome ("ok", "http_&lt;status&gt;", "malformed", "unavailable" or
     * "error") and the time to the response headers (to the answer's end when it is received whole, see
     * {@link #WHOLE}). For metrics; never given the token.
     */
    @FunctionalInterface
    public interface CallObserver {
        void called(String instanceId, String path, String outcome, long nanos);
    }

    private final long connectTimeoutMs;
    private final long readTimeoutMs;
    private volatile CallObserver observer = (instance, path, outcome, nanos) -> { };

    /** The timeouts the netypareoHttp component was given, for the messages of timed-out calls. */
    public NetypareoCalls(long connectTimeoutMs, long readTimeoutMs) {
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
    }

    public void observe(CallObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** Sets {@link #URL} from the instance's base URL and the path, and drops HTTP headers of earlier calls. */
    public void prepare(Exchange exchange) {
        NetypareoInstance instance = instance(exchange);
        URI uri = NetypareoHttp.checkedUri(instance, path(exchange));
        exchange.getIn().removeHeaders("CamelHttp*");
        exchange.getIn().removeHeaders("Location");
        exchange.getIn().setBody(null);
        String query = uri.getRawQuery();
        if (query != null) {
            exchange.getIn().setHeader(Exchange.HTTP_RAW_QUERY, query);
        }
        exchange.setProperty(URL, query == null ? uri.toString() : uri.toString().substring(0,
                uri.toString().indexOf('?')));
        exchange.setProperty(FULL_URL, uri.toString());
        exchange.setProperty(STARTED, System.nanoTime());
    }

    /** 2xx: the body as a stream of records; any other status: the NetypareoException of its class, thrown. */
    public RecordStream answer(Exchange exchange) {
        NetypareoInstance instance = instance(exchange);
        String path = path(exchange);
        Integer status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        InputStream body = exchange.getIn().getBody(InputStream.class);
        NetypareoException failure = null;
        try {
            int code = status == null ? 0 : status;
            if (code < 200 || code > 299) {
                failure = NetypareoHttp.failure(instance, path, URI.create(exchange.getProperty(FULL_URL, String.class)),
                        code, exchange.getIn().getHeader("Location", String.class), body);
                // read and closed: nothing for the error handler (or a stream cache) to read again
                exchange.getIn().setBody(null);
                throw failure;
            }
            InputStream records = body == null ? InputStream.nullInputStream() : body;
            if (body != null && exchange.getProperty(WHOLE, false, Boolean.class)) {
                records = whole(exchange, instance, path, code, body);
            }
            return NetypareoHttp.records(instance, path, records, code,
                    exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class));
        } catch (NetypareoException e) {
            failure = e;
            exchange.getIn().setBody(null);
            throw e;
        } finally {
            observed(exchange, failure);
        }
    }

    /** The body read to its end into the exchange's stream cache; a body cut or stalled is NetYpareo unavailable. */
    private static InputStream whole(Exchange exchange, NetypareoInstance instance, String path, int status,
                                     InputStream body) {
        CachedOutputStream cache = new CachedOutputStream(exchange);
        try (InputStream in = body) {
            in.transferTo(cache);
            return (InputStream) cache.newStreamCache();
        } catch (IOException e) {
            throw NetypareoHttp.unavailable(instance, path, status, "the answer of '" + path
                    + "' could not be read to its end (" + e + ")", e);
        }
    }

    /** The call got no status (connection refused, timeout, TLS refused...): thrown as a NetypareoException. */
    public void unreachable(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        NetypareoUnavailableException e = NetypareoHttp.unreachable(instance(exchange), path(exchange),
                URI.create(exchange.getProperty(FULL_URL, String.class)), cause, connectTimeoutMs, readTimeoutMs);
        observed(exchange, e);
        throw e;
    }

    /** The records of the stream in the body, at most {@link #LIMIT} of them; the stream is closed. */
    public List<JsonNode> read(Exchange exchange) {
        Integer limit = exchange.getProperty(LIMIT, Integer.class);
        List<JsonNode> out = new ArrayList<>();
        try (RecordStream records = exchange.getIn().getBody(RecordStream.class)) {
            while ((limit == null || out.size() < limit) && records.hasNext()) {
                out.add(records.next());
            }
        }
        return out;
    }

    private void observed(Exchange exchange, NetypareoException failure) {
        Long started = exchange.getProperty(STARTED, Long.class);
        observer.called(instance(exchange).id(), path(exchange), NetypareoHttp.outcome(failure),
                started == null ? 0 : System.nanoTime() - started);
    }

    private static NetypareoInstance instance(Exchange exchange) {
        NetypareoInstance instance = exchange.getProperty(INSTANCE, NetypareoInstance.class);
        if (instance == null) {
            throw new IllegalStateException("no " + INSTANCE + " property on this exchange");
        }
        return instance;
    }

    private static String path(Exchange exchange) {
        return Objects.requireNonNull(exchange.getProperty(PATH, String.class), PATH);
    }
}
