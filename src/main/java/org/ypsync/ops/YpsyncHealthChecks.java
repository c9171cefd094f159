package org.ypsync.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.ypsync.moodle.PreflightReport;
import org.ypsync.store.RunRepository.Run;

/**
 * ypsync's own health checks, bound as a Camel {@link HealthCheckRepository} (Camel Main registers every
 * repository it finds in the registry) and so listed at /observe/health next to Camel's context and route checks:
 * <ul>
 *   <li>{@code ypsync-store}: the store answers (liveness and readiness);</li>
 *   <li>{@code ypsync-moodle}: the Moodle pre-flight (token accepted, every function in the service), its result
 *       kept for a while so that probes do not call Moodle each time (readiness);</li>
 *   <li>{@code ypsync-stage-<stage>}: the stage's last run did not fail and is not older than twice its schedule
 *       (readiness; a stage that never ran is fine; with the schedules off only failures count).</li>
 * </ul>
 */
public final class YpsyncHealthChecks implements HealthCheckRepository {
    private final List<HealthCheck> checks = new ArrayList<>();
    private boolean enabled = true;

    public YpsyncHealthChecks(Supplier<Boolean> storeReachable, Supplier<PreflightReport> preflight,
                              Duration preflightTtl, Function<String, Optional<Run>> lastRun,
                              java.util.function.Predicate<String> running, Map<String, String> cronByStage,
                              boolean scheduled) {
        checks.add(new StoreCheck(storeReachable));
        checks.add(new MoodleCheck(preflight, preflightTtl));
        cronByStage.forEach((stage, cron) -> checks.add(new StageCheck(stage, cron, scheduled, lastRun, running)));
    }

    @Override
    public String getId() {
        return "ypsync";
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Stream<HealthCheck> stream() {
        return enabled ? checks.stream() : Stream.empty();
    }

    public List<HealthCheck> checks() {
        return List.copyOf(checks);
    }

    static final class StoreCheck extends AbstractHealthCheck {
        private final Supplier<Boolean> reachable;

        StoreCheck(Supplier<Boolean> reachable) {
            super("ypsync", "ypsync-store");
            this.reachable = reachable;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            boolean ok;
            try {
                ok = reachable.get();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (ok) {
                builder.up();
            } else {
                builder.message("the store (ypsync.store.url) does not answer").down();
            }
        }
    }

    static final class MoodleCheck extends AbstractHealthCheck {
        private final Supplier<PreflightReport> preflight;
        private final Duration ttl;
        private PreflightReport last;
        private Instant at;

        MoodleCheck(Supplier<PreflightReport> preflight, Duration ttl) {
            super("ypsync", "ypsync-moodle");
            this.preflight = preflight;
            this.ttl = ttl;
        }

        @Override
        public boolean isLiveness() {
            // Moodle being down is no reason to restart ypsync
            return false;
        }

        private synchronized PreflightReport report() {
            Instant now = Instant.now();
            if (last == null || Duration.between(at, now).compareTo(ttl) > 0) {
                last = preflight.get();
                at = now;
            }
            return last;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            PreflightReport r = report();
            builder.detail("checked.at", at.toString());
            if (r.errorcode() != null) {
                builder.message("Moodle pre-flight failed: " + r.errorcode() + " - " + Secrets.mask(r.message())).down();
            } else if (!r.missingFunctions().isEmpty()) {
                builder.message("the token's service lacks " + String.join(", ", r.missingFunctions().stream()
                        .sorted().toList())).down();
            } else {
                builder.detail("site", r.siteName()).detail("release", r.release()).up();
            }
        }
    }

    static final class StageCheck extends AbstractHealthCheck {
        private final String stage;
        private final String cron;
        private final boolean scheduled;
        private final Function<String, Optional<Run>> lastRun;
        private final java.util.function.Predicate<String> running;

        StageCheck(String stage, String cron, boolean scheduled, Function<String, Optional<Run>> lastRun,
                   java.util.function.Predicate<String> running) {
            super("ypsync", "ypsync-stage-" + stage);
            this.stage = stage;
            this.cron = cron;
            this.scheduled = scheduled;
            this.lastRun = lastRun;
            this.running = running;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            Optional<Run> last;
            try {
                last = lastRun.apply(stage);
            } catch (RuntimeException e) {
                builder.message("cannot read the run history: the store does not answer").down();
                return;
            }
            if (last.isEmpty()) {
                builder.message(stage + " never ran").up();
                return;
            }
            Run run = last.get();
            builder.detail("last.start", run.startedAt().toString()).detail("last.outcome", String.valueOf(run.outcome()));
            if ("FAILED".equals(run.outcome())) {
                builder.message(stage + " failed at its last run"
                        + (run.message() == null ? "" : ": " + Secrets.mask(run.message()))).down();
                return;
            }
            if (scheduled && cron != null) {
                Optional<String> late = Freshness.late(cron, run.startedAt(), Instant.now(), TimeZone.getDefault());
                // a long run that started on time has no history row until it ends: running is not late
                if (late.isPresent() && !running.test(stage)) {
                    builder.message(stage + ": " + late.get()).down();
                    return;
                }
            }
            builder.up();
        }
    }
}
