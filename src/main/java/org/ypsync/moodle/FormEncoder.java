package org.ypsync.moodle;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Pure encoder of Moodle web-service parameters into {@code application/x-www-form-urlencoded} with PHP bracket
 * notation ({@code users[0][customfields][0][type]=...}), the only body Moodle's REST server parses.
 *
 * <p>Rules: lists are 0-based; booleans become {@code 1}/{@code 0} (PARAM_BOOL refuses "true"); null values are
 * not sent (Moodle then applies the parameter's default); empty lists and maps produce no field at all (form
 * encoding cannot express them). Supported leaves: CharSequence, Number, Boolean, Character, Enum; Jackson
 * {@link JsonNode} trees are accepted too (objects as maps, arrays as lists, JSON null as null).
 */
public final class FormEncoder {

    /** wstoken, wsfunction, moodlewsrestformat, moodlewssettinglang: sent with every call. */
    public static final int FIXED_FIELDS = 4;

    private FormEncoder() {
    }

    /** The parameters as ordered (name, value) pairs, names in bracket notation. */
    public static List<Map.Entry<String, String>> flatten(Map<String, ?> params) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Map.Entry<String, ?> e : params.entrySet()) {
            flatten(checkKey(e.getKey()), e.getValue(), out);
        }
        return out;
    }

    /** The form body of these parameters (without the call fields wstoken etc.). */
    public static String encode(Map<String, ?> params) {
        return encode(flatten(params));
    }

    /** The form body of these pairs, in order. */
    public static String encode(List<Map.Entry<String, String>> pairs) {
        StringJoiner j = new StringJoiner("&");
        for (Map.Entry<String, String> p : pairs) {
            j.add(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        }
        return j.toString();
    }

    /**
     * PHP input variables one request with these parameters uses: every leaf, plus the {@link #FIXED_FIELDS}
     * call fields.
     */
    public static int countFields(Map<String, ?> params) {
        return FIXED_FIELDS + countLeaves(params);
    }

    /** Leaves (non-null scalars) inside a value: what one record adds to a request. */
    public static int countLeaves(Object value) {
        value = unwrap(value);
        if (value == null) {
            return 0;
        }
        if (value instanceof Map<?, ?> m) {
            int n = 0;
            for (Object v : m.values()) {
                n += countLeaves(v);
            }
            return n;
        }
        if (value instanceof Collection<?> c) {
            int n = 0;
            for (Object v : c) {
                n += countLeaves(v);
            }
            return n;
        }
        if (value instanceof Object[] a) {
            return countLeaves(List.of(a));
        }
        scalar(value); // rejects unsupported types, so counting and encoding agree
        return 1;
    }

    private static void flatten(String name, Object value, List<Map.Entry<String, String>> out) {
        value = unwrap(value);
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                flatten(name + "[" + checkKey(e.getKey()) + "]", e.getValue(), out);
            }
        } else if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object v : c) {
                // null elements are skipped and the rest renumbered: PHP must see a dense 0-based list
                if (v != null) {
                    flatten(name + "[" + i++ + "]", v, out);
                }
            }
        } else if (value instanceof Object[] a) {
            flatten(name, List.of(a), out);
        } else {
            out.add(new SimpleImmutableEntry<>(name, scalar(value)));
        }
    }

    /** A JsonNode as the plain Java value it stands for (containers as Map/List views, JSON null as null). */
    private static Object unwrap(Object v) {
        if (!(v instanceof JsonNode n)) {
            return v;
        }
        if (n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isObject()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(l::add);
            return l;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        return n.asText();
    }

    /** The text Moodle expects for a scalar. */
    static String scalar(Object v) {
        v = unwrap(v);
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof CharSequence || v instanceof Character) {
            return v.toString();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("not a finite number: " + v);
            }
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (v instanceof BigDecimal bd) {
            return bd.toPlainString();
        }
        if (v instanceof Number) {
            return v.toString();
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        throw new IllegalArgumentException("unsupported parameter value type: " + v.getClass().getName());
    }

    private static String checkKey(Object key) {
        if (!(key instanceof String s) || s.isEmpty() || s.indexOf('[') >= 0 || s.indexOf(']') >= 0) {
            throw new IllegalArgumentException("invalid parameter name: " + key);
        }
        return s;
    }
}
