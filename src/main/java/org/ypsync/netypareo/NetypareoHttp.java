package org.ypsync.netypareo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Pure pieces of a NetYpareo GET, for the route that makes it ({@code direct:netypareo-get} in
 * routes/cache.camel.yaml, through the {@code netypareoHttp} component): the URL of a path, the header values,
 * the classing of statuses and transport failures into {@link NetypareoException} and subclasses, and the record
 * stream over a body. Messages name the instance, the path and the URL, never the token. No HTTP here.
 */
public final class NetypareoHttp {
    /** Where the REST API lives under an instance's base URL. */
    public static final String API_PREFIX = "index.php/r/v1/";
    /** The header that carries the instance's token. */
    public static final String TOKEN_HEADER = "X-Auth-Token";

    // Keyed envelopes use every record code as a field name: canonicalizing them would keep one symbol per record
    // (34,000 for a big students answer) in the parser's table.
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());

    private NetypareoHttp() {
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

    /** The URL of a path, or a NetypareoException naming the instance when it cannot be built. */
    public static URI checkedUri(NetypareoInstance instance, String path) {
        try {
            return uri(instance, path);
        } catch (IllegalArgumentException e) {
            throw new NetypareoException(instance.id(), path, 0, "NetYpareo instance " + instance.label()
                    + ": cannot build a URL for '" + path + "' from the base URL " + safe(instance.baseUrl()), e);
        }
    }

    /**
     * Opens a 2xx body as a stream of records; the start of the body is checked here, the records are parsed as the
     * caller iterates.
     *
     * @throws NetypareoMalformedBodyException the body is not a JSON object or array
     */
    public static RecordStream records(NetypareoInstance instance, String path, InputStream body, int status,
                                       String contentType) {
        JsonParser parser;
        try {
            parser = MAPPER.getFactory().createParser(body);
        } catch (IOException e) {
            close(body);
            throw unavailable(instance, path, status, "cannot read the answer of '" + path + "' (" + e + ")", e);
        }
        return new RecordStream(parser, instance.id(), instance.label(), path, contentType);
    }

    /**
     * The exception for a status other than 2xx, with the start of the error page when it says something (the token
     * masked). Reads and closes {@code body}.
     */
    public static NetypareoException failure(NetypareoInstance instance, String path, URI uri, int status,
                                             String location, InputStream body) {
        NetypareoException e = classify(instance, path, uri, status, location);
        if (e instanceof NetypareoAccessDeniedException || e instanceof NetypareoNotFoundException) {
            close(body);
            return e;
        }
        String excerpt = excerpt(body, instance.token());
        if (excerpt.isEmpty()) {
            return e;
        }
        return e instanceof NetypareoUnavailableException
                ? new NetypareoUnavailableException(e.instanceId(), path, status, e.getMessage() + ": " + excerpt, null)
                : new NetypareoException(e.instanceId(), path, status, e.getMessage() + ": " + excerpt);
    }

    public static NetypareoException classify(NetypareoInstance instance, String path, URI uri, int status) {
        return classify(instance, path, uri, status, null);
    }

    public static NetypareoException classify(NetypareoInstance instance, String path, URI uri, int status,
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

    /**
     * The exception for a call that got no status back: connection refused, connect or read timeout (all worth
     * a retry), or any other transport failure (TLS refused, connection reset: retried too, as before).
     */
    public static NetypareoUnavailableException unreachable(NetypareoInstance instance, String path, URI uri,
                                                            Throwable cause, long connectTimeoutMs,
                                                            long readTimeoutMs) {
        String what;
        if (cause instanceof org.apache.hc.client5.http.ConnectTimeoutException) {
            what = "could not connect to " + safe(uri) + " within " + connectTimeoutMs + " ms";
        } else if (cause instanceof SocketTimeoutException) {
            what = "no answer from " + safe(uri) + " within " + readTimeoutMs + " ms";
        } else if (cause instanceof ConnectException) {
            what = "cannot connect to " + safe(uri) + " (" + cause + ")";
        } else {
            what = "request to " + safe(uri) + " failed (" + cause + ")";
        }
        return unavailable(instance, path, 0, what, cause);
    }

    /** The outcome label of a call for the metrics: "ok", "http_&lt;status&gt;", "malformed", "unavailable" or "error". */
    public static String outcome(NetypareoException e) {
        if (e == null) {
            return "ok";
        }
        return e.status() >= 200 && e.status() < 300 ? "malformed"
                : e.status() > 0 ? "http_" + e.status() : e.retryable() ? "unavailable" : "error";
    }

    static NetypareoUnavailableException unavailable(NetypareoInstance instance, String path, int status,
                                                      String what, Throwable cause) {
        return new NetypareoUnavailableException(instance.id(), path, status,
                "NetYpareo instance " + instance.label() + ": " + what, cause);
    }

    /** A URL for messages: without user-info, which could hold credentials. */
    public static String safe(Object url) {
        return url.toString().replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@?#]*@", "$1");
    }

    /**
     * Up to 200 characters of an error body on one line, tags stripped, the token masked; "" when there is
     * nothing useful or it cannot be read (the read timeout of the http component bounds the wait).
     */
    static String excerpt(InputStream body, String token) {
        if (body == null) {
            return "";
        }
        try (InputStream in = body) {
            byte[] head = in.readNBytes(2048);
            String text = new String(head, StandardCharsets.UTF_8)
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

    private static void close(InputStream body) {
        if (body == null) {
            return;
        }
        try {
            body.close();
        } catch (IOException ignored) {
            // the connection is dropped either way
        }
    }
}
