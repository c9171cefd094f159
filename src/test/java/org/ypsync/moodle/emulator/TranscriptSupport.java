package org.ypsync.moodle.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP plumbing and the transcript placeholder conventions, shared by the emulator tests. */
final class TranscriptSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final long WINDOW = 60L * 24 * 3600;
    private static final Pattern DIGITS = Pattern.compile("\\d{9,11}");
    private static final Pattern REV = Pattern.compile("/theme/image\\.php/boost/core/\\d+/");

    private TranscriptSupport() {
    }

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    static String form(List<Map.Entry<String, String>> fields) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> f : fields) {
            if (sb.length() > 0) sb.append('&');
            sb.append(URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    static List<Map.Entry<String, String>> fields(JsonNode request) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (JsonNode pair : request) {
            out.add(Map.entry(pair.get(0).asText(), pair.get(1).asText()));
        }
        return out;
    }

    static Reply post(String endpoint, String formBody) {
        return send(HttpRequest.newBuilder(URI.create(endpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody)).build());
    }

    static Reply send(HttpRequest req) {
        try {
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError("HTTP failure: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends one transcript-style call (token first, then the fields), honouring method / content_type / body. */
    static Reply call(MoodleEmulator emu, String token, JsonNode c) {
        List<Map.Entry<String, String>> f = new ArrayList<>();
        f.add(Map.entry("wstoken", token));
        f.addAll(fields(c.get("request")));
        String endpoint = emu.endpoint();
        if (c.has("method") && c.get("method").asText().equals("GET")) {
            return send(HttpRequest.newBuilder(URI.create(endpoint + "?" + form(f))).GET().build());
        }
        if (c.has("content_type")) {
            return send(HttpRequest.newBuilder(URI.create(endpoint + "?" + form(f)))
                    .header("Content-Type", c.get("content_type").asText())
                    .POST(HttpRequest.BodyPublishers.ofString(c.get("body").asText())).build());
        }
        return post(endpoint, form(f));
    }

    /** Applies the transcript placeholders to an actual answer; {@code expected} guides the functions trim. */
    static JsonNode normalise(JsonNode actual, JsonNode expected, String wwwroot, long now) {
        if (actual == null) return null;
        if (actual.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> it = actual.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode exp = expected == null ? null : expected.get(e.getKey());
                if (e.getKey().equals("userprivateaccesskey")) {
                    out.put(e.getKey(), "<private-access-key>");
                } else if (e.getKey().equals("functions") && e.getValue().isArray() && exp != null && exp.isArray()
                        && exp.size() > 0 && exp.get(0).isTextual()) {
                    ArrayNode names = JSON.createArrayNode();
                    e.getValue().forEach(f -> names.add(f.get("name").asText()));
                    out.set(e.getKey(), names);
                } else {
                    out.set(e.getKey(), normalise(e.getValue(), exp, wwwroot, now));
                }
            }
            return out;
        }
        if (actual.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            for (int i = 0; i < actual.size(); i++) {
                JsonNode exp = expected != null && expected.isArray() && i < expected.size() ? expected.get(i) : null;
                out.add(normalise(actual.get(i), exp, wwwroot, now));
            }
            return out;
        }
        if (actual.isIntegralNumber() && Math.abs(actual.asLong() - now) <= WINDOW) {
            return TextNode.valueOf("<timestamp>");
        }
        if (actual.isTextual()) {
            return TextNode.valueOf(normaliseText(actual.asText(), wwwroot, now));
        }
        return actual;
    }

    static String normaliseText(String s, String wwwroot, long now) {
        String t = s.replace(wwwroot, "<wwwroot>");
        t = REV.matcher(t).replaceAll("/theme/image.php/boost/core/<rev>/");
        Matcher m = DIGITS.matcher(t);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            long v = Long.parseLong(m.group());
            m.appendReplacement(sb, Math.abs(v - now) <= WINDOW ? "<timestamp>" : m.group());
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
