package org.ypsync.netypareo;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the canonical text of a record (type, then each field as name=value, with nulls and separators escaped so
 * different field values never produce the same text) and digests it: SHA-256, first 32 hex characters.
 */
final class Canonical {
    private static final ClassValue<RecordComponent[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
            return type.getRecordComponents();
        }
    };

    private final StringBuilder text = new StringBuilder();

    private Canonical(String type) {
        text.append(type);
    }

    static Canonical of(String type) {
        return new Canonical(type);
    }

    /**
     * The digest of a record: its type's simple name, then every component in declaration order; a list component
     * is a list of codes (see {@link #addCodes}).
     */
    @SuppressWarnings("unchecked")
    static String hash(Record record) {
        Canonical c = of(record.getClass().getSimpleName());
        for (RecordComponent component : COMPONENTS.get(record.getClass())) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component.getName() + " of " + record.getClass(), e);
            }
            if (value instanceof List<?> codes) {
                c.addCodes(component.getName(), (List<Integer>) codes);
            } else {
                c.add(component.getName(), value);
            }
        }
        return c.hash();
    }

    Canonical add(String name, Object value) {
        text.append('|').append(name).append('=');
        if (value == null) {
            text.append('\u0000');
        } else {
            String s = value.toString();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '|' || c == '\\' || c == '\u0000') {
                    text.append('\\');
                }
                text.append(c);
            }
        }
        return this;
    }

    /** A list of codes whose order carries no meaning: digested sorted. */
    Canonical addCodes(String name, List<Integer> codes) {
        List<Integer> sorted = new ArrayList<>(codes);
        sorted.sort(null);
        return add(name, sorted);
    }

    String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
