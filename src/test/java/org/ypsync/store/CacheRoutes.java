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

    void stage(String runId, List<StagedRecord> rows) {
        template.sendBody("direct:cache-stage", rows.stream().map(r -> CacheStaging.row(runId, r)).toList());
    }

    Map<CacheKind, CacheRepository.KindCounts> apply(String runId, int instance, Set<CacheKind> kinds,
                                                     Set<CacheKind> noGone, Instant now, boolean commit) {
        return apply.apply(template, runId, instance, kinds, noGone, now, commit);
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
