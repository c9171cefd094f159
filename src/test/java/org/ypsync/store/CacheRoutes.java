package org.ypsync.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.ypsync.TestMain;

/**
 * For the store tests: ypsync's real cache routes on a test database, so that staging goes through the
 * {@code direct:cache-stage} route's sql: batch insert and the apply through {@code direct:cache-apply}, as in a run.
 */
final class CacheRoutes implements AutoCloseable {
    private final Main main;
    private final ProducerTemplate template;
    private final Store store;
    private final CacheApply apply;

    private CacheRoutes(Main main) {
        this.main = main;
        this.template = main.getCamelContext().createProducerTemplate();
        this.store = main.getCamelContext().getRegistry().lookupByNameAndType("ypsyncStore", Store.class);
        this.apply = new CacheApply(store.dataSource());
    }

    /** On "h2" (in memory) or "postgres" (a fresh schema; skipped or failed as TestDatabases says). */
    static CacheRoutes start(String database) {
        Map<String, String> db = switch (database) {
            case "h2" -> Map.of("ypsync.store.url", TestDatabases.h2());
            case "postgres" -> Map.of("ypsync.store.url", TestDatabases.postgres(),
                    "ypsync.store.user", TestDatabases.POSTGRES_USER);
            default -> throw new IllegalArgumentException(database);
        };
        return new CacheRoutes(TestMain.start(db));
    }

    Store store() {
        return store;
    }

    /** Stages every row as it is (no comparison with the store). */
    void stage(String runId, List<StagedRecord> rows) {
        template.sendBody("direct:cache-stage", rows.stream().map(r -> CacheStaging.row(runId, r)).toList());
    }

    /**
     * A run as the cache stage makes it: the instance's stored rows loaded, the records read compared with them,
     * only the new, changed and returning ones staged, then the apply (gone marks included).
     */
    Map<CacheKind, CacheRepository.KindCounts> run(String runId, int instance, List<StagedRecord> rows,
                                                   Set<CacheKind> kinds, Instant now, boolean commit) {
        CacheDelta delta = store.cache().delta(instance);
        List<StagedRecord> staged = rows.stream().filter(r -> switch (delta.see(r)) {
            case NEW, CHANGED -> true;
            case UNCHANGED, DUPLICATE -> false;
        }).toList();
        stage(runId, staged);
        return apply.apply(template, runId, instance, delta, kinds, Set.of(), 500, now, commit);
    }

    void discard(String runId) {
        Jdbc.update(store.dataSource(), "DELETE FROM cache_staging WHERE run_id = ?", runId);
    }

    @Override
    public void close() {
        template.stop();
        main.stop();
    }
}
