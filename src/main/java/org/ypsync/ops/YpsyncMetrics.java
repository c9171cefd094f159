package org.ypsync.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.ypsync.store.RunRepository.RunCounts;

/**
 * ypsync's own Prometheus metrics, on the Micrometer registry camel-micrometer serves at /observe/metrics:
 * <ul>
 *   <li>{@code ypsync_records_total{stage,outcome}}: records per stage and outcome (read, created, updated,
 *       unchanged, suspended, failed), summed over the runs of this process;</li>
 *   <li>{@code ypsync_stage_runs_total{stage,outcome}} and {@code ypsync_stage_last_run_seconds{stage}};</li>
 *   <li>{@code ypsync_dead_letters{stage}}: dead letters in the store now; {@code ypsync_dead_letters_added_total};</li>
 *   <li>{@code ypsync_moodle_calls_seconds{function,outcome}}: every Moodle web-service call and its latency;</li>
 *   <li>{@code ypsync_netypareo_calls_seconds{instance,endpoint,outcome}}: every NetYpareo GET (time to the
 *       response headers; the body streams afterwards).</li>
 * </ul>
 * Labels never carry a token, a URL or a record: only stage, function, endpoint and instance names.
 */
public final class YpsyncMetrics {
    public static final List<String> RECORD_OUTCOMES = List.of("read", "created", "updated", "unchanged", "suspended",
            "failed");

    private final MeterRegistry registry;
    private final Map<String, Double> lastRunSeconds = new java.util.concurrent.ConcurrentHashMap<>();

    public YpsyncMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Registers the per-stage gauges: dead letters now (read through {@code deadLetterCounts}, cached for a few
     * seconds so that a scrape costs at most one query) and the last run's duration.
     */
    public void registerStages(List<String> stages, Supplier<Map<String, Integer>> deadLetterCounts) {
        Supplier<Map<String, Integer>> cached = new CachedSupplier<>(deadLetterCounts, Duration.ofSeconds(5));
        for (String stage : stages) {
            Gauge.builder("ypsync.dead.letters", cached, c -> c.get().getOrDefault(stage, 0))
                    .description("Dead letters in the store").tag("stage", stage)
                    // Micrometer holds a gauge's object weakly; nothing else holds this one
                    .strongReference(true).register(registry);
            Gauge.builder("ypsync.stage.last.run", lastRunSeconds, m -> m.getOrDefault(stage, 0.0))
                    .description("Duration of the stage's last run in this process").baseUnit("seconds")
                    .tag("stage", stage).register(registry);
            for (String outcome : RECORD_OUTCOMES) {
                records(stage, outcome);
            }
        }
    }

    private Counter records(String stage, String outcome) {
        return Counter.builder("ypsync.records").description("Records per stage and outcome")
                .tags("stage", stage, "outcome", outcome).register(registry);
    }

    /** A stage run ended. */
    public void runEnded(StageRun run) {
        if (run.dryRun()) {
            return;
        }
        RunCounts c = run.counts();
        int[] values = {c.read(), c.created(), c.updated(), c.unchanged(), c.suspended(), c.failed()};
        for (int i = 0; i < values.length; i++) {
            records(run.stage(), RECORD_OUTCOMES.get(i)).increment(values[i]);
        }
        Counter.builder("ypsync.stage.runs").description("Stage runs per outcome")
                .tags("stage", run.stage(), "outcome", run.outcome().name()).register(registry).increment();
        lastRunSeconds.put(run.stage(), run.duration().toMillis() / 1000.0);
    }

    public void deadLetterAdded(String stage) {
        Counter.builder("ypsync.dead.letters.added").description("Dead letters added")
                .tag("stage", stage == null ? "unknown" : stage).register(registry).increment();
    }

    public void moodleCall(String function, String outcome, long nanos) {
        Timer.builder("ypsync.moodle.calls").description("Moodle web-service calls")
                .tags("function", function, "outcome", outcome).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void netypareoCall(String instance, String endpoint, String outcome, long nanos) {
        Timer.builder("ypsync.netypareo.calls").description("NetYpareo REST calls (time to the response headers)")
                .tags("instance", instance, "endpoint", endpoint, "outcome", outcome).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A supplier that asks again only after {@code ttl}; keeps the last value when asking fails. */
    static final class CachedSupplier<T> implements Supplier<T> {
        private final Supplier<T> source;
        private final long ttlNanos;
        private T value;
        private long at;

        CachedSupplier(Supplier<T> source, Duration ttl) {
            this.source = source;
            this.ttlNanos = ttl.toNanos();
        }

        @Override
        public synchronized T get() {
            long now = System.nanoTime();
            if (value == null || now - at > ttlNanos) {
                try {
                    value = source.get();
                } catch (RuntimeException e) {
                    if (value == null) {
                        throw e;
                    }
                }
                at = now;
            }
            return value;
        }
    }
}
