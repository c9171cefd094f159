package org.ypsync.ops;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ypsync.store.CacheStatusRepository.NamedStatus;
import org.ypsync.store.DeadLetterRepository.DeadLetter;
import org.ypsync.store.LockRepository.Holder;
import org.ypsync.store.RunRepository.Run;
import org.ypsync.store.RunRepository.RunCounts;
import org.ypsync.store.Store;

/**
 * The operator's read-only commands, {@code status} and {@code dead-letters list}: they open the store directly
 * (no routes, no schedules, no management server), so they run next to a running daemon, on H2 (whose file URL
 * has AUTO_SERVER=TRUE) as on PostgreSQL. Nothing they print holds a secret.
 */
public final class OpsCommands {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private OpsCommands() {
    }

    /** Opens the configured store with a small pool (Flyway's check at open needs two connections). */
    static Store openStore(LightConfig config) {
        String url = config.get("ypsync.store.url").filter(s -> !s.isEmpty()).orElseThrow(() ->
                new IllegalStateException("configuration key 'ypsync.store.url' is missing"));
        return Store.open(url, config.get("ypsync.store.user").orElse(null),
                config.get("ypsync.store.password").orElse(null), 2);
    }

    /** {@code status}: the last run of each stage, what runs now, dead letters, the cache status per instance. */
    public static int status(Map<String, String> overrides, PrintStream out) {
        LightConfig config = LightConfig.load(overrides);
        try (Store store = openStore(config)) {
            out.println("Store: " + safeUrl(config.get("ypsync.store.url").orElse("")));
            out.println();
            out.println("Last run of each stage:");
            Map<String, Run> last = new LinkedHashMap<>();
            store.runs().lastPerStage().forEach(r -> last.put(r.stage(), r));
            TextTable runs = runTable();
            for (String stage : StageRunner.STAGES) {
                Run r = last.remove(stage);
                if (r == null) {
                    runs.row(stage, "never run", null, null, null, null, null, null, null, null);
                } else {
                    addRun(runs, r.stage(), r.startedAt(), r.endedAt(), r.outcome() + (r.dryRun() ? " (dry run)" : ""),
                            r.counts());
                }
            }
            last.values().forEach(r -> addRun(runs, r.stage(), r.startedAt(), r.endedAt(), r.outcome(), r.counts()));
            out.print(Secrets.mask(runs.toString()));
            for (String stage : StageRunner.STAGES) {
                Run r = lastRun(store, stage);
                if (r != null && r.message() != null && !r.message().isBlank()) {
                    out.println("  " + stage + ": " + Secrets.mask(r.message()));
                }
            }

            Instant now = Instant.now();
            List<Holder> locks = store.locks().all();
            out.println();
            if (locks.isEmpty()) {
                out.println("Running now: nothing");
            } else {
                out.println("Running now:");
                for (Holder h : locks) {
                    out.println("  " + h.stage() + " on " + StageLocks.displayOwner(h.owner()) + " since "
                            + TIME.format(h.acquiredAt()) + (h.expiresAt().isBefore(now)
                            ? " (lock expired: its node stopped without releasing it)" : ""));
                }
            }

            Map<String, Integer> dead = store.deadLetters().countsByStage();
            out.println();
            if (dead.isEmpty()) {
                out.println("Dead letters: none");
            } else {
                StringBuilder line = new StringBuilder("Dead letters: ");
                dead.forEach((s, n) -> line.append(s).append(' ').append(n).append(", "));
                line.setLength(line.length() - 2);
                out.println(line + " (java -jar ypsync.jar dead-letters list)");
            }

            out.println();
            out.println("Cache status per NetYpareo instance:");
            TextTable cache = new TextTable("instance", "id", "name", "last run", "last success", "outcome",
                    "duration", "message");
            for (NamedStatus s : store.cacheStatus().all()) {
                var st = s.status();
                cache.row(st.instanceIndex(), s.instanceId(), s.name(), time(st.lastRunAt()), time(st.lastSuccessAt()),
                        st.outcome(), st.lastRunAt() == null ? null : seconds(st.durationMs()), st.message());
            }
            out.print(cache.isEmpty() ? "  (the cache stage never ran)\n" : Secrets.mask(cache.toString()));
            return 0;
        }
    }

    private static Run lastRun(Store store, String stage) {
        return store.runs().lastPerStage().stream().filter(r -> r.stage().equals(stage)).findFirst().orElse(null);
    }

    /** {@code dead-letters list [stage]}. */
    public static int listDeadLetters(String stage, Map<String, String> overrides, PrintStream out) {
        LightConfig config = LightConfig.load(overrides);
        try (Store store = openStore(config)) {
            List<DeadLetter> all = store.deadLetters().list(stage);
            if (all.isEmpty()) {
                out.println("No dead letters" + (stage == null ? "" : " for stage " + stage) + ".");
                return 0;
            }
            TextTable t = new TextTable("id", "stage", "instance", "record", "attempts", "first failed",
                    "last failed", "code", "reason");
            for (DeadLetter d : all) {
                t.row(d.id(), d.stage(), d.instanceIndex(), d.recordKey(), d.attempts(), time(d.createdAt()),
                        time(d.lastFailedAt()), d.errorCode(), oneLine(d.reason()));
            }
            out.print(Secrets.mask(t.toString()));
            out.println(all.size() + " dead letter(s). Replay: java -jar ypsync.jar dead-letters replay"
                    + (stage == null ? " [stage]" : " " + stage));
            return 0;
        }
    }

    /** The summary table of a set of runs (run all, demo, replay). */
    public static String runTable(List<StageRun> runs) {
        TextTable t = runTable();
        for (StageRun r : runs) {
            addRun(t, r.stage(), r.startedAt(), r.endedAt(), r.outcome().name() + (r.dryRun() ? " (dry run)" : ""),
                    r.counts());
        }
        return Secrets.mask(t.toString());
    }

    private static TextTable runTable() {
        return new TextTable("stage", "start", "end", "outcome", "read", "created", "updated", "unchanged",
                "suspended", "failed");
    }

    private static void addRun(TextTable t, String stage, Instant start, Instant end, String outcome, RunCounts c) {
        t.row(stage, time(start), time(end), outcome, c.read(), c.created(), c.updated(), c.unchanged(),
                c.suspended(), c.failed());
    }

    static String time(Instant i) {
        return i == null ? null : TIME.format(i);
    }

    private static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f s", Duration.ofMillis(ms).toMillis() / 1000.0);
    }

    private static String oneLine(String s) {
        return s == null ? null : s.replaceAll("\\s+", " ");
    }

    /** A JDBC URL for display: without user-info and without password/user parameters. */
    static String safeUrl(String url) {
        return url.replaceFirst("//[^/@]*@", "//")
                .replaceAll("(?i)([?&;](password|user)=)[^&;]*", "$1****");
    }
}
