package org.ypsync.moodle.emulator;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Collator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ypsync.moodle.emulator.Desc.Single;

import static org.ypsync.moodle.emulator.Desc.single;
import static org.ypsync.moodle.emulator.Desc.value;

/**
 * Shared helpers of the emulated functions: reading validated parameters, PHP and PostgreSQL semantics.
 */
final class WsValues {
    private WsValues() {
    }


    static String s(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? null : v.toString();
    }

    static long l(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).longValue();
    }

    static boolean b(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof Boolean bb && bb;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? List.of() : (List<Map<String, Object>>) (List<?>) v;
    }

    /** PHP empty() on a string. */
    static boolean empty(String v) {
        return v == null || v.isEmpty() || v.equals("0");
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static final Collator COLLATOR = Collator.getInstance(Locale.ENGLISH);

    static int collate(String a, String b) {
        return COLLATOR.compare(a, b);
    }

    static String md5(String s) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            return String.format("%032x", new BigInteger(1, d));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PostgreSQL varchar(n) limits: a longer value makes the INSERT/UPDATE fail. */
    static void checkLength(String table, String column, String v, int max) {
        if (v != null && v.codePointCount(0, v.length()) > max) {
            throw WsException.dmlWrite("value too long for type character varying(" + max + "): " + table + "."
                    + column);
        }
    }

    static <T> List<T> page(List<T> all, long offset, long limit) {
        if (offset >= all.size()) return List.of();
        long end = limit > 0 ? Math.min(all.size(), offset + limit) : all.size();
        return all.subList((int) offset, (int) end);
    }

    /** A custom field value as cohorts, courses and groups take it. */
    static Single customFieldDesc() {
        return keyValueDesc("shortname", Param.ALPHANUMEXT);
    }

    /** A pair named by {@code key} (a criterion, an option, a type...) with its raw {@code value}. */
    static Single keyValueDesc(String key, Param type) {
        return single().key(key, value(type)).key("value", value(Param.RAW)).build();
    }
}
