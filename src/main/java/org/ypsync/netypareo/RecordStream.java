package org.ypsync.netypareo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * The records of one NetYpareo response, parsed one at a time from the response stream (a body is never held in
 * memory whole). Accepts both envelopes: an object keyed by record code (its values are the records) and an array.
 * Every element must be a JSON object.
 *
 * <p>{@link #hasNext()} and {@link #next()} throw {@link NetypareoMalformedBodyException} on malformed or truncated
 * JSON and {@link NetypareoUnavailableException} when the connection stalls or breaks mid-body; the stream is closed
 * when it ends or fails. A caller that stops early must {@link #close()} it (try-with-resources).
 */
public final class RecordStream implements Iterator<JsonNode>, AutoCloseable {

    /** The two response shapes NetYpareo instances use. */
    public enum Envelope { KEYED, ARRAY }

    private final JsonParser parser;
    private final String instanceId;
    private final String label;
    private final String path;
    private final Envelope envelope;
    private JsonNode next;
    private String nextKey;
    private String currentKey;
    private boolean done;
    private int count;
    private NetypareoException failure;

    RecordStream(JsonParser parser, String instanceId, String label, String path, String contentType) {
        this.parser = parser;
        this.instanceId = instanceId;
        this.label = label;
        this.path = path;
        String type = contentType == null ? "" : " (Content-Type " + contentType + ")";
        JsonToken first = read(JsonParser::nextToken, () -> "the body is not JSON" + type);
        if (first == JsonToken.START_OBJECT) {
            envelope = Envelope.KEYED;
        } else if (first == JsonToken.START_ARRAY) {
            envelope = Envelope.ARRAY;
        } else {
            close();
            throw malformed(first == null ? "the body is empty" : "the body is not a JSON object or array"
                    + type + ": it starts with " + describe(first), null);
        }
    }

    public Envelope envelope() {
        return envelope;
    }

    /** Records returned by {@link #next()} so far. */
    public int count() {
        return count;
    }

    /** Key of the record last returned: its object key (keyed envelope) or its 0-based index (array). */
    public String currentKey() {
        return currentKey;
    }

    @Override
    public boolean hasNext() {
        if (failure != null) {
            // a failed stream never looks like a complete one
            throw failure;
        }
        if (next == null && !done) {
            try {
                advance();
            } catch (NetypareoException e) {
                failure = e;
                throw e;
            }
        }
        return next != null;
    }

    @Override
    public JsonNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more records in '" + path + "'");
        }
        JsonNode n = next;
        currentKey = nextKey;
        next = null;
        count++;
        return n;
    }

    @Override
    public void close() {
        done = true;
        try {
            parser.close();
        } catch (IOException | RuntimeException ignored) {
            // closing a half-read response only drops the connection
        }
    }

    private void advance() {
        JsonToken t = token();
        String key;
        if (envelope == Envelope.KEYED) {
            if (t == JsonToken.END_OBJECT) {
                finish();
                return;
            }
            if (t != JsonToken.FIELD_NAME) {
                throw failMalformed(t == null ? truncated() : "unexpected " + describe(t));
            }
            key = name();
            t = token();
            if (t != JsonToken.START_OBJECT) {
                throw failMalformed(t == null ? truncated()
                        : "the value of key '" + key + "' is not a record object but " + describe(t));
            }
        } else {
            if (t == JsonToken.END_ARRAY) {
                finish();
                return;
            }
            key = Integer.toString(count);
            if (t != JsonToken.START_OBJECT) {
                throw failMalformed(t == null ? truncated()
                        : "array element " + count + " is not a record object but " + describe(t));
            }
        }
        next = read(JsonParser::readValueAsTree, this::afterRecords);
        nextKey = key;
    }

    private void finish() {
        JsonToken trailing = token();
        close();
        if (trailing != null) {
            throw malformed("unexpected content after the end of the JSON (" + describe(trailing) + ")", null);
        }
    }

    private JsonToken token() {
        return read(JsonParser::nextToken, this::afterRecords);
    }

    private String afterRecords() {
        return "malformed or truncated JSON after " + count + " records";
    }

    /**
     * One read of the parser; a failed one closes the stream and is thrown as malformed (bad JSON: {@code notJson}
     * says where, the parser what) or broken (the connection).
     */
    private <T> T read(ParserRead<T> read, Supplier<String> notJson) {
        try {
            return read.from(parser);
        } catch (JsonProcessingException e) {
            close();
            throw malformed(notJson.get() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            close();
            throw broken(e);
        }
    }

    private interface ParserRead<T> {
        T from(JsonParser parser) throws IOException;
    }

    private String name() {
        try {
            return parser.currentName();
        } catch (IOException e) {
            close();
            throw broken(e);
        }
    }

    private String truncated() {
        return "the JSON ends early (truncated after " + count + " records)";
    }

    private NetypareoMalformedBodyException failMalformed(String reason) {
        close();
        return malformed(reason, null);
    }

    private NetypareoMalformedBodyException malformed(String reason, Throwable cause) {
        return new NetypareoMalformedBodyException(instanceId, path, 200,
                "NetYpareo instance " + label + ": unusable answer from '" + path + "': " + reason, cause);
    }

    private NetypareoUnavailableException broken(IOException e) {
        String what = e instanceof SocketTimeoutException ? "read timed out" : "connection broken";
        return new NetypareoUnavailableException(instanceId, path, 200, "NetYpareo instance " + label + ": " + what
                + " while reading '" + path + "' after " + count + " records (" + e.getMessage() + ")", e);
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }
}
