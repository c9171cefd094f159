package org.ypsync.netypareo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads NetYpareo REST resources: {@code GET <baseUrl>index.php/r/v1/<path>} with {@code X-Auth-Token} and
 * {@code Accept: application/json}. The client does not retry; it classifies failures (see
 * {@link NetypareoException} and subclasses) so the caller's error handler can retry the retryable ones
 * ({@link NetypareoUnavailableException}). Messages name the instance, the path and the URL, never the token.
 * Thread-safe.
 */
public final class NetypareoClient {
    /** Where the REST API lives under an instance's base URL. */
    public static final String API_PREFIX = "index.php/r/v1/";

    // Keyed envelopes use every record code as a field name: canonicalizing them would keep one symbol per record
    // (34,000 for a big students answer) in the parser's table.
    private static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());

    /**
     * Told of every GET: instance id, path, outcome ("ok", "http_&lt;status&gt;" or "unavailable"/"error" when no
     * status came back) and the time to the response headers. For metrics; never given the token.
     */
    @FunctionalInterface
    public interface CallObserver {
        void called(String instanceId, String path, String outcome, long nanos);
    }

    private final HttpClient http;
    private volatile CallObserver observer = (instance, path, outcome, nanos) -> { };
    private final Duration connectTimeout;
    private final Duration readTimeout;

    /**
     * @param connectTimeout time to establish a TCP connection
     * @param readTimeout    time to wait for the response headers, and then for each chunk of the body
     */
    public NetypareoClient(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                // never follow: a redirect would carry the token to wherever it points
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The URL of a path on an instance. A base URL that already ends in {@code index.php/r/v1/} or
     * {@code index.php/} is completed rather than doubled.
     */
    public static URI uri(NetypareoInstance instance, String path) {
        String base = instance.baseUrl();
        String prefix;
        if (base.endsWith("/" + API_PREFIX)) {
            prefix = base;
        } else if (base.endsWith("/index.php/")) {
            prefix = base + "r/v1/";
        } else {
            prefix = base + API_PREFIX;
        }
        String relative = path.startsWith("/") ? path.substring(1) : path;
        return URI.create(prefix + relative);
    }

    /**
     * Opens a resource as a stream of records. The status and the start of the body are checked here; the records
     * are parsed as the caller iterates. Close the stream (try-with-resources).
     *
     * @throws NetypareoAccessDeniedException  HTTP 401/403
     * @throws NetypareoNotFoundException      HTTP 404
     * @throws NetypareoUnavailableException   HTTP 5xx/429, connection refused, connect or read timeout
     * @throws NetypareoMalformedBodyException the body is not a JSON object or array
     * @throws NetypareoException              any other status, or an unusable URL
     */
    public RecordStream open(NetypareoInstance instance, String path) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            RecordStream stream = send(instance, path);
            outcome = "ok";
            return stream;
        } catch (NetypareoException e) {
            outcome = e.status() >= 200 && e.status() < 300 ? "malformed"
                    : e.status() > 0 ? "http_" + e.status() : e.retryable() ? "unavailable" : "error";
            throw e;
        } finally {
            observer.called(instance.id(), path, outcome, System.nanoTime() - start);
        }
    }

    /** Sets the observer told of every call (one per client). */
    public void observe(CallObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    private RecordStream send(NetypareoInstance instance, String path) {
        String label = instance.label();
        URI uri;
        try {
            uri = uri(instance, path);
        } catch (IllegalArgumentException e) {
            throw new NetypareoException(instance.id(), path, 0, "NetYpareo instance " + label
                    + ": cannot build a URL for '" + path + "' from the base URL " + safe(instance.baseUrl()), e);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .GET()
                .timeout(readTimeout)
                .header("X-Auth-Token", instance.token())
                .header("Accept", "application/json")
                .header("User-Agent", "ypsync")
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw unavailable(instance, path, 0, "could not connect to " + safe(uri) + " within "
                    + connectTimeout.toMillis() + " ms", e);
        } catch (HttpTimeoutException e) {
            throw unavailable(instance, path, 0, "no answer from " + safe(uri) + " within "
                    + readTimeout.toMillis() + " ms", e);
        } catch (ConnectException e) {
            throw unavailable(instance, path, 0, "cannot connect to " + safe(uri) + " (" + e + ")", e);
        } catch (IOException e) {
            throw unavailable(instance, path, 0, "request to " + safe(uri) + " failed (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetypareoException(instance.id(), path, 0,
                    "NetYpareo instance " + label + ": interrupted while calling '" + path + "'", e);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            NetypareoException e = classify(instance, path, uri, status,
                    response.headers().firstValue("Location").orElse(null));
            if (e instanceof NetypareoAccessDeniedException || e instanceof NetypareoNotFoundException) {
                discard(response.body());
                throw e;
            }
            String excerpt = excerpt(response.body(), instance.token());
            if (excerpt.isEmpty()) {
                throw e;
            }
            // the start of an error page often says what went wrong
            throw e instanceof NetypareoUnavailableException
                    ? new NetypareoUnavailableException(e.instanceId(), path, status, e.getMessage() + ": " + excerpt, null)
                    : new NetypareoException(e.instanceId(), path, status, e.getMessage() + ": " + excerpt);
        }
        InputStream body = new DeadlineInputStream(response.body(), readTimeout);
        JsonParser parser;
        try {
            parser = MAPPER.getFactory().createParser(body);
        } catch (IOException e) {
            discard(body);
            throw unavailable(instance, path, status, "cannot read the answer of " + safe(uri) + " (" + e + ")", e);
        }
        return new RecordStream(parser, instance.id(), label, path,
                response.headers().firstValue("Content-Type").orElse(null));
    }

    /** All records of a (small) resource. Same exceptions as {@link #open}. */
    public List<JsonNode> readAll(NetypareoInstance instance, String path) {
        try (RecordStream records = open(instance, path)) {
            List<JsonNode> all = new ArrayList<>();
            records.forEachRemaining(all::add);
            return all;
        }
    }

    /**
     * A reachability check: calls the path and reads its first record. Returns empty when the instance answers
     * with a usable body, otherwise the problem as one line (never the token).
     */
    public Optional<String> probe(NetypareoInstance instance, String path) {
        try (RecordStream records = open(instance, path)) {
            records.hasNext();
            return Optional.empty();
        } catch (NetypareoException e) {
            return Optional.of(e.getMessage());
        }
    }

    static NetypareoException classify(NetypareoInstance instance, String path, URI uri, int status) {
        return classify(instance, path, uri, status, null);
    }

    static NetypareoException classify(NetypareoInstance instance, String path, URI uri, int status,
                                       String location) {
        String head = "NetYpareo instance " + instance.label() + ": ";
        String id = instance.id();
        if (status == 401 || status == 403) {
            String what = status == 401 ? "the token was refused for '" + path + "'"
                    : "the token may not call '" + path + "'";
            return new NetypareoAccessDeniedException(id, path, status, head + what + " (HTTP " + status
                    + "); tick this endpoint for the prestataire" + (status == 401 ? " and check the token" : ""), null);
        }
        if (status == 404) {
            String key = NetypareoEndpoint.matching(path).map(NetypareoEndpoint::configKey)
                    .orElse("its netypareo.path.* key");
            return new NetypareoNotFoundException(id, path, status, head + "path '" + path + "' not found (HTTP 404) at "
                    + safe(uri) + "; check the base URL, the path is configurable by " + key, null);
        }
        if (status == 429) {
            return unavailable(instance, path, status, "too many requests for '" + path + "' (HTTP 429)", null);
        }
        if (status >= 500) {
            return unavailable(instance, path, status, "'" + path + "' failed with HTTP " + status + " at " + safe(uri),
                    null);
        }
        if (status >= 300 && status < 400) {
            return new NetypareoException(id, path, status, head + "'" + path + "' at " + safe(uri)
                    + " is redirected (HTTP " + status + ")" + (location == null ? "" : " to " + safe(location))
                    + "; redirects are not followed, correct the base URL");
        }
        return new NetypareoException(id, path, status, head + "unexpected HTTP " + status + " for '" + path
                + "' at " + safe(uri));
    }

    private static NetypareoUnavailableException unavailable(NetypareoInstance instance, String path, int status,
                                                             String what, Throwable cause) {
        return new NetypareoUnavailableException(instance.id(), path, status,
                "NetYpareo instance " + instance.label() + ": " + what, cause);
    }

    /** A URL for messages: without user-info, which could hold credentials. */
    static String safe(Object url) {
        return url.toString().replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@?#]*@", "$1");
    }

    /**
     * Up to 200 characters of an error body on one line, tags stripped, the token masked; "" when there is
     * nothing useful or it cannot be read quickly.
     */
    private String excerpt(InputStream body, String token) {
        try (InputStream in = new DeadlineInputStream(body, readTimeout)) {
            byte[] head = in.readNBytes(2048);
            String text = new String(head, java.nio.charset.StandardCharsets.UTF_8)
                    .replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ")
                    .replaceAll("<[^>]*>", " ")
                    .replace(token, "****")
                    .replaceAll("\\s+", " ")
                    .trim();
            return text.length() > 200 ? text.substring(0, 200) + "..." : text;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void discard(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // the connection is dropped either way
        }
    }
}
