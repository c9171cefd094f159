package org.ypsync.store;

import java.util.HashMap;
import java.util.Map;

/**
 * A staged record as a row of {@code cache_staging}, for the named parameters of sql/cache-staging-insert.sql
 * (the cache-fetch route's {@code sql:} endpoint): run_id, kind, record_key, content_hash and the values as text in
 * c1..c10, in the kind's column order (the apply casts them back).
 */
public final class CacheStaging {
    /** Columns c1..c10 of the staging table. */
    public static final int VALUE_COLUMNS = 10;

    private CacheStaging() {
    }

    public static Map<String, Object> row(String runId, StagedRecord r) {
        Map<String, Object> row = new HashMap<>(32);
        row.put("run_id", runId);
        row.put("kind", r.kind().name());
        row.put("record_key", r.key());
        row.put("content_hash", r.contentHash());
        for (int i = 0; i < VALUE_COLUMNS; i++) {
            Object v = i < r.values().size() ? r.values().get(i) : null;
            row.put("c" + (i + 1), v == null ? null : v.toString());
        }
        return row;
    }
}
