package org.ypsync.moodle;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Scriptable in-process transport for unit tests: decodes each form body, records it, and answers with a
 * handler. Includes a tiny all-or-nothing create_users with unique usernames and e-mails (case-insensitive),
 * like Moodle's.
 */
class FakeMoodle implements MoodleTransport {

    /** One decoded request. */
    record Request(Map<String, String> form) {
        String function() {
            return form.get("wsfunction");
        }

        /** The list parameter {@code key} rebuilt from bracket notation: index -> (field path -> value). */
        List<Map<String, String>> list(String key) {
            TreeMap<Integer, Map<String, String>> byIndex = new TreeMap<>();
            for (Map.Entry<String, String> e : form.entrySet()) {
                String k = e.getKey();
                if (k.startsWith(key + "[")) {
                    int close = k.indexOf(']');
                    int i = Integer.parseInt(k.substring(key.length() + 1, close));
                    String rest = k.substring(close + 1);
                    byIndex.computeIfAbsent(i, x -> new LinkedHashMap<>()).put(rest, e.getValue());
                }
            }
            return new ArrayList<>(byIndex.values());
        }
    }

    @FunctionalInterface
    interface Handler {
        Reply handle(Request r) throws IOException;
    }

    final List<Request> requests = new ArrayList<>();
    private Handler handler;
    /** Users "in Moodle": username -> record. */
    final Map<String, Map<String, String>> users = new LinkedHashMap<>();
    private long nextId = 100;
    int maxInputVars = Integer.MAX_VALUE;

    FakeMoodle(Handler handler) {
        this.handler = handler;
    }

    FakeMoodle() {
        this.handler = this::standard;
    }

    void handler(Handler h) {
        this.handler = h;
    }

    /**
     * The first {@code times} calls of {@code function} answered by {@code first}, every other call as standard; the
     * count of the calls of {@code function} so far.
     */
    AtomicInteger firstCalls(String function, int times, Handler first) {
        AtomicInteger calls = new AtomicInteger();
        handler(req -> function.equals(req.function()) && calls.incrementAndGet() <= times ? first.handle(req)
                : standard(req));
        return calls;
    }

    int calls(String function) {
        return (int) requests.stream().filter(r -> function.equals(r.function())).count();
    }

    @Override
    public Reply post(String formBody) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        int n = 0;
        for (String pair : formBody.split("&")) {
            if (++n > maxInputVars) {
                break; // PHP's silent truncation
            }
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        Request r = new Request(form);
        requests.add(r);
        return handler.handle(r);
    }

    static Reply json(String body) {
        return new Reply(200, body);
    }

    static Reply error(String exception, String errorcode, String message) {
        return new Reply(200, "{\"exception\":\"" + exception + "\",\"errorcode\":\"" + errorcode
                + "\",\"message\":\"" + message + "\"}");
    }

    static Reply invalidParameter() {
        return error("invalid_parameter_exception", "invalidparameter", "Invalid parameter value detected");
    }

    /** create_users (all-or-nothing) and get_users_by_field(username) over {@link #users}. */
    Reply standard(Request r) {
        return switch (r.function()) {
            case "core_user_create_users" -> createUsers(r, u -> null);
            case "core_user_get_users_by_field" -> usersByUsername(r);
            default -> error("moodle_exception", "notimplemented", "fake has no " + r.function());
        };
    }

    /** Creates all users of the request or none; {@code veto} may refuse a user (returns an errorcode). */
    Reply createUsers(Request r, Function<Map<String, String>, String> veto) {
        List<Map<String, String>> batch = r.list("users");
        Map<String, Map<String, String>> added = new LinkedHashMap<>();
        for (Map<String, String> u : batch) {
            String name = u.get("[username]");
            String email = u.getOrDefault("[email]", "").toLowerCase();
            boolean emailTaken = users.values().stream().anyMatch(x -> x.get("[email]").equalsIgnoreCase(email))
                    || added.values().stream().anyMatch(x -> x.get("[email]").equalsIgnoreCase(email));
            if (users.containsKey(name) || added.containsKey(name) || emailTaken) {
                return invalidParameter();
            }
            String vetoed = veto.apply(u);
            if (vetoed != null) {
                return error("moodle_exception", vetoed, "vetoed");
            }
            Map<String, String> copy = new LinkedHashMap<>(u);
            copy.put("id", Long.toString(nextId++));
            added.put(name, copy);
        }
        users.putAll(added);
        StringBuilder sb = new StringBuilder("[");
        for (Map<String, String> u : added.values()) {
            sb.append(sb.length() > 1 ? "," : "").append("{\"id\":").append(u.get("id"))
                    .append(",\"username\":\"").append(u.get("[username]")).append("\"}");
        }
        return json(sb.append("]").toString());
    }

    Reply usersByUsername(Request r) {
        StringBuilder sb = new StringBuilder("[");
        for (Map.Entry<String, String> e : r.form().entrySet()) {
            if (e.getKey().startsWith("values[")) {
                Map<String, String> u = users.get(e.getValue());
                if (u != null) {
                    sb.append(sb.length() > 1 ? "," : "").append("{\"id\":").append(u.get("id"))
                            .append(",\"username\":\"").append(u.get("[username]")).append("\",\"idnumber\":\"")
                            .append(u.getOrDefault("[idnumber]", "")).append("\"}");
                }
            }
        }
        return json(sb.append("]").toString());
    }
}
