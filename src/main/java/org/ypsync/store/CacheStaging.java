package org.ypsync.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A staged record as a row of {@code cache_staging}, for the named parameters of sql/cache-staging-insert.sql
 * (the cache-fetch route's {@code sql:} endpoint): run_id, kind, record_key, content_hash, gone and the values as
 * text in c1..c10, in the kind's column order (the apply casts them back). A gone mark carries the key only.
 */
public final class CacheStaging {
    /** Columns c1..c10 of the staging table. */
    public static final int VALUE_COLUMNS = 10;

    private CacheStaging() {
    }

    /** A record to insert or update. */
    public static Map<String, Object> row(String runId, StagedRecord r) {
        return row(runId, r.kind(), r.key(), r.contentHash(), false, r.values());
    }

    /** A stored record the run did not read, to mark gone: its key columns (the parts of its staging key) only. */
    public static Map<String, Object> goneMark(String runId, CacheKind kind, String key) {
        return row(runId, kind, key, "", true, List.of((Object[]) key.split(":", -1)));
    }

    private static Map<String, Object> row(String runId, CacheKind kind, String key, String hash, boolean gone,
                                           List<?> values) {
        Map<String, Object> row = new HashMap<>(32);
        row.put("run_id", runId);
        row.put("kind", kind.name());
        row.put("record_key", key);
        row.put("content_hash", hash);
        row.put("gone", gone);
        for (int i = 0; i < VALUE_COLUMNS; i++) {
            Object v = i < values.size() ? values.get(i) : null;
            row.put("c" + (i + 1), v == null ? null : v.toString());
        }
        return row;
    }
}
