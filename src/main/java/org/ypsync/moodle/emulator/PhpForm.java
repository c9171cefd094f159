package org.ypsync.moodle.emulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses application/x-www-form-urlencoded text the way PHP fills $_GET / $_POST: bracket notation builds nested
 * ordered arrays, numeric keys are normalised, later duplicates overwrite earlier ones in place, and input past
 * max_input_vars is silently dropped.
 */
final class PhpForm {
    private PhpForm() {
    }

    /** Where the variables come from: PHP counts them differently for the query string and a POST body. */
    enum Source {
        /** php_default_treat_data: checks the counter before registering, keeps exactly max_input_vars. */
        QUERY,
        /** add_post_vars: registers, then checks the counter, so it keeps max_input_vars + 1. */
        POST_BODY
    }

    /** Result of a parse: the variables and whether PHP would have logged "Input variables exceeded". */
    record Parsed(Map<String, Object> vars, boolean truncated, int count) {
    }

    static Parsed parse(String encoded, int maxInputVars, Source source) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return new Parsed(root, false, 0);
        }
        int count = 0;
        boolean truncated = false;
        for (String pair : encoded.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = urldecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : urldecode(pair.substring(eq + 1));
            if (source == Source.QUERY) {
                if (++count > maxInputVars) {
                    truncated = true;
                    break;
                }
                register(root, name, value);
            } else {
                register(root, name, value);
                if (++count > maxInputVars) {
                    truncated = true;
                    break;
                }
            }
        }
        return new Parsed(root, truncated, count);
    }

    /** PHP urldecode: '+' is a space, %XX a byte, malformed escapes are kept verbatim; bytes read as UTF-8. */
    static String urldecode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }

    /** php_register_variable_ex, reduced to what matters for web-service calls. */
    @SuppressWarnings("unchecked")
    static void register(Map<String, Object> root, String rawName, String value) {
        int start = 0;
        while (start < rawName.length() && rawName.charAt(start) == ' ') {
            start++;
        }
        String name = rawName.substring(start);
        int bracket = name.indexOf('[');
        List<String> indexes = new ArrayList<>();
        String base;
        if (bracket < 0) {
            base = mangle(name);
        } else {
            base = mangle(name.substring(0, bracket));
            int pos = bracket;
            boolean first = true;
            while (pos < name.length() && name.charAt(pos) == '[') {
                int close = name.indexOf(']', pos + 1);
                if (close < 0) {
                    if (first) {
                        // An unmatched '[' in the first position becomes '_' and the rest stays part of the name.
                        base = base + "_" + name.substring(bracket + 1);
                    }
                    break;
                }
                indexes.add(name.substring(pos + 1, close));
                first = false;
                pos = close + 1;
            }
        }
        if (base.isEmpty()) {
            return;
        }
        if (indexes.isEmpty()) {
            root.put(base, value);
            return;
        }
        Map<String, Object> current = root;
        String key = base;
        for (String index : indexes) {
            Object existing = current.get(key);
            Map<String, Object> child;
            if (existing instanceof Map) {
                child = (Map<String, Object>) existing;
            } else {
                child = new LinkedHashMap<>();
                current.put(key, child);
            }
            current = child;
            key = index.isEmpty() ? String.valueOf(nextIndex(child)) : normaliseKey(index);
        }
        current.put(key, value);
    }

    /** Spaces and dots in a top-level name become underscores, as in PHP. */
    private static String mangle(String base) {
        return base.replace(' ', '_').replace('.', '_');
    }

    /** PHP turns decimal integer strings without leading zeros into integer keys. */
    static String normaliseKey(String key) {
        return key;
    }

    private static long nextIndex(Map<String, Object> array) {
        long next = 0;
        for (String k : array.keySet()) {
            Long n = intKey(k);
            if (n != null && n >= next) {
                next = n + 1;
            }
        }
        return next;
    }

    static Long intKey(String k) {
        if (k.isEmpty() || k.length() > 19) return null;
        int i = k.charAt(0) == '-' ? 1 : 0;
        if (i == k.length()) return null;
        if (k.charAt(i) == '0' && k.length() > i + 1) return null;
        for (int j = i; j < k.length(); j++) {
            if (!Character.isDigit(k.charAt(j)) || k.charAt(j) > '9') return null;
        }
        if (k.equals("-0")) return null;
        try {
            return Long.parseLong(k);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
