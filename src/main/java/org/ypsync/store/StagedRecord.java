package org.ypsync.store;

import java.util.List;

/**
 * One record of a cache run on its way to the store: its key (unique within its kind and instance), its content
 * hash and its column values in {@link CacheKind#columns()} order (String, Integer, Boolean, LocalDate or null).
 */
public record StagedRecord(CacheKind kind, String key, String contentHash, List<Object> values) {
    public StagedRecord {
        if (values.size() != kind.columns().size()) {
            throw new IllegalArgumentException(kind + " needs " + kind.columns().size() + " values, got " + values.size());
        }
    }
}
