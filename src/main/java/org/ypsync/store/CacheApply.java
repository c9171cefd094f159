package org.ypsync.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.ypsync.store.CacheRepository.KindCounts;

/**
 * Applies a cache run through the route {@code direct:cache-apply} (routes/cache.camel.yaml), whose {@code sql:}
 * endpoints run the statements of {@link CacheApplySql} in one transaction of the store: camel-sql works through
 * Spring's JdbcTemplate, which joins the transaction a {@link TransactionTemplate} binds to the calling thread (the
 * route is synchronous, so every statement runs on that thread and that connection). A dry run rolls it back.
 */
public final class CacheApply {
    public static final String ROUTE = "direct:cache-apply";
    /** The route that inserts a batch of staging rows. */
    public static final String STAGE_ROUTE = "direct:cache-stage";
    /** Exchange property: the instance whose counts the route reads back. */
    public static final String INSTANCE = "cacheApplyInstance";

    private final TransactionTemplate transaction;

    public CacheApply(DataSource dataSource) {
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /**
     * Applies a run whose records were compared with the store by {@code delta} (and its new, changed and returning
     * ones staged) to one instance, for the kinds it read: the stored records it did not read are staged as gone marks
     * ({@code direct:cache-stage}, batches of {@code batchSize}), except for the kinds in {@code noGone} (some of
     * their records could not be read this time); then {@link #apply(ProducerTemplate, String, int, Map, Instant,
     * boolean)}.
     */
    public Map<CacheKind, KindCounts> apply(ProducerTemplate template, String runId, int instanceIndex,
                                            CacheDelta delta, Set<CacheKind> kinds, Set<CacheKind> noGone,
                                            int batchSize, Instant now, boolean commit) {
        Map<CacheKind, KindCounts> decided = new EnumMap<>(CacheKind.class);
        List<Map<String, Object>> marks = new ArrayList<>();
        for (CacheKind kind : kinds) {
            boolean markGone = !noGone.contains(kind);
            decided.put(kind, delta.counts(kind, markGone));
            if (markGone) {
                delta.goneKeys(kind).forEach(key -> marks.add(CacheStaging.goneMark(runId, kind, key)));
            }
        }
        for (int i = 0; i < marks.size(); i += batchSize) {
            template.sendBody(STAGE_ROUTE, marks.subList(i, Math.min(marks.size(), i + batchSize)));
        }
        return apply(template, runId, instanceIndex, decided, now, commit);
    }

    /**
     * Applies a run's staged records and gone marks of the kinds in {@code counts} (what the run decided per kind,
     * see {@link CacheDelta}) to one instance and returns the counts it recorded per kind. With {@code commit} false
     * (dry run) everything is rolled back.
     */
    public Map<CacheKind, KindCounts> apply(ProducerTemplate template, String runId, int instanceIndex,
                                            Map<CacheKind, KindCounts> counts, Instant now, boolean commit) {
        Set<CacheKind> kinds = counts.keySet();
        List<CacheApplySql.Statement> statements = CacheApplySql.statements(runId, instanceIndex, counts, now);
        return transaction.execute(status -> {
            Exchange done = template.send(ROUTE, e -> {
                e.getIn().setBody(statements);
                e.setProperty(INSTANCE, instanceIndex);
            });
            if (done.getException() != null) {
                throw new StoreException("could not apply cache run " + runId + " of instance " + instanceIndex,
                        done.getException());
            }
            if (!commit) {
                status.setRollbackOnly();
            }
            return counts(done.getMessage().getBody(List.class), kinds);
        });
    }

    /** The cache_count rows the route read back, for the applied kinds. */
    static Map<CacheKind, KindCounts> counts(List<?> rows, Set<CacheKind> kinds) {
        Map<CacheKind, KindCounts> out = new EnumMap<>(CacheKind.class);
        for (Object o : rows) {
            Map<String, Object> row = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            ((Map<?, ?>) o).forEach((k, v) -> row.put(String.valueOf(k).toLowerCase(Locale.ROOT), v));
            CacheKind kind = CacheKind.valueOf(String.valueOf(row.get("kind")));
            if (kinds.contains(kind)) {
                out.put(kind, new KindCounts(number(row, "read_count"), number(row, "new_count"),
                        number(row, "changed_count"), number(row, "gone_count")));
            }
        }
        return out;
    }

    private static int number(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).intValue();
    }
}
