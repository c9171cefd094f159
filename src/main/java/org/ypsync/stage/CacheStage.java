package org.ypsync.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ypsync.netypareo.NetypareoCalls;
import org.ypsync.netypareo.NetypareoEndpoint;
import org.ypsync.netypareo.NetypareoInstance;
import org.ypsync.netypareo.Period;
import org.ypsync.netypareo.Periods;
import org.ypsync.netypareo.RecordStream;
import org.ypsync.ops.DeadLetters;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRuns;
import org.ypsync.store.CacheApply;
import org.ypsync.store.CacheKind;
import org.ypsync.store.CacheRepository;
import org.ypsync.store.CacheRepository.KindCounts;
import org.ypsync.store.CacheStaging;
import org.ypsync.store.CacheStatusRepository;
import org.ypsync.store.StagedRecord;

/**
 * The steps of the cache stage ("Mettre à jour les données de cache"), called by routes/cache.camel.yaml: for each
 * instance, read every endpoint into the staging table, then check the counts against the guard and apply them to
 * the cache in one transaction, or leave the cache untouched and say why.
 */
public final class CacheStage {
    public static final String RUN = "cacheRun";
    public static final String FETCH = "cacheFetch";
    private static final Logger REPORT = LoggerFactory.getLogger("ypsync.report");

    private final Settings settings;
    private final CacheRepository cache;
    private final CacheApply apply;
    private volatile ProducerTemplate template;
    private final CacheStatusRepository status;
    private final DeadLetters deadLetters;

    public CacheStage(Settings settings, CacheRepository cache, CacheApply apply, CacheStatusRepository status,
                      DeadLetters deadLetters) {
        this.apply = apply;
        this.settings = settings;
        this.cache = cache;
        this.status = status;
        this.deadLetters = deadLetters;
    }

    public List<NetypareoInstance> instances() {
        return settings.instances();
    }

    /** Opens the run of the instance in the body and prints the seed's header. */
    public void begin(Exchange exchange) {
        NetypareoInstance instance = exchange.getIn().getBody(NetypareoInstance.class);
        CacheRun run = new CacheRun(instance, LocalDate.now());
        exchange.setProperty(RUN, run);
        exchange.setProperty(DeadLetters.INSTANCE, instance.index());
        status.saveInstance(instance.index(), instance.id(), instance.name(), instance.baseUrl());
        Headers.runningOn(REPORT, instance);
        REPORT.info("Updating cache status for instance {}", instance.index());
    }

    /** The endpoints every run reads first. */
    public List<CacheRun.Fetch> accountFetches(Exchange exchange) {
        return List.of(new CacheRun.Fetch(CacheKind.SITES, settings.path("sites"), null),
                new CacheRun.Fetch(CacheKind.PERIODS, settings.path("periods"), null),
                new CacheRun.Fetch(CacheKind.STUDENTS, settings.path("students"), null),
                new CacheRun.Fetch(CacheKind.STAFF, settings.path("staff"), null),
                new CacheRun.Fetch(CacheKind.TUTORS, settings.path("tutors"), null));
    }

    /** Diploma groups of the configured periods (the current one by default) and FC groups of the window. */
    public List<CacheRun.Fetch> groupFetches(Exchange exchange) {
        CacheRun run = run(exchange);
        if (run.isFailed()) {
            return List.of();
        }
        List<CacheRun.Fetch> fetches = new ArrayList<>();
        for (String period : diplomaPeriods(run)) {
            fetches.add(new CacheRun.Fetch(CacheKind.DIPLOMA_GROUPS,
                    NetypareoEndpoint.resolve(settings.path("diploma-groups"), Map.of("period", period)), null));
        }
        LocalDate from = run.getToday().minusDays(settings.integer("sync.fc.window-past-days"));
        LocalDate to = run.getToday().plusDays(settings.integer("sync.fc.window-future-days"));
        fetches.add(new CacheRun.Fetch(CacheKind.FC_GROUPS, NetypareoEndpoint.resolve(settings.path("fc-groups"),
                NetypareoEndpoint.window(from, to)), null));
        return fetches;
    }

    private List<String> diplomaPeriods(CacheRun run) {
        List<String> configured = settings.list("sync.groups.periods");
        List<String> out = new ArrayList<>();
        for (String p : configured.isEmpty() ? List.of("current") : configured) {
            if (p.equalsIgnoreCase("current")) {
                Optional<Period> current = Periods.current(run.periods(), run.getToday());
                if (current.isPresent()) {
                    out.add(String.valueOf(current.get().code()));
                } else {
                    run.note("no NetYpareo period contains " + run.getToday() + ": diploma groups not read");
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** The members of every group read in this run. */
    public List<CacheRun.Fetch> memberFetches(Exchange exchange) {
        CacheRun run = run(exchange);
        if (run.isFailed()) {
            return List.of();
        }
        List<CacheRun.Fetch> fetches = new ArrayList<>();
        for (CacheKind groups : List.of(CacheKind.DIPLOMA_GROUPS, CacheKind.FC_GROUPS)) {
            if (!run.fetchedKinds().contains(groups)) {
                continue;
            }
            CacheKind members = groups == CacheKind.FC_GROUPS ? CacheKind.FC_MEMBERS : CacheKind.DIPLOMA_MEMBERS;
            // The groups were read, so their member lists are complete even when there is no group at all.
            run.fetched(members);
            for (Integer code : run.groups(groups).stream().sorted().toList()) {
                fetches.add(new CacheRun.Fetch(members, NetypareoEndpoint.resolve(settings.path("group-members"),
                        Map.of("group", String.valueOf(code))), code));
            }
        }
        return fetches;
    }

    /** The fetch in the body becomes the instance and path of {@code direct:netypareo-get}. */
    public void request(Exchange exchange) {
        CacheRun run = run(exchange);
        CacheRun.Fetch fetch = exchange.getIn().getBody(CacheRun.Fetch.class);
        exchange.setProperty(FETCH, fetch);
        exchange.setProperty(NetypareoCalls.INSTANCE, run.getInstance());
        exchange.setProperty(NetypareoCalls.PATH, fetch.path());
    }

    /** NetYpareo answered the fetch: its kinds count as read (the records stream next). */
    public void opened(Exchange exchange) {
        CacheRun run = run(exchange);
        CacheRun.Fetch fetch = exchange.getProperty(FETCH, CacheRun.Fetch.class);
        run.fetched(fetch.kind());
        if (fetch.kind() == CacheKind.TUTORS) {
            run.fetched(CacheKind.TUTOR_STUDENTS);
        }
    }

    /** Maps one record; groups and periods are remembered for the next fetches. */
    public List<StagedRecord> map(Exchange exchange) {
        CacheRun run = run(exchange);
        CacheRun.Fetch fetch = exchange.getProperty(FETCH, CacheRun.Fetch.class);
        List<StagedRecord> rows = CacheRecords.map(fetch, exchange.getIn().getBody(JsonNode.class));
        StagedRecord first = rows.get(0);
        switch (fetch.kind()) {
            case PERIODS -> run.period(org.ypsync.netypareo.NetypareoMapper.period(exchange.getIn().getBody(JsonNode.class)));
            case DIPLOMA_GROUPS, FC_GROUPS -> run.group(fetch.kind(), (Integer) first.values().get(0));
            default -> { }
        }
        return rows;
    }

    /** A record that cannot be used: dead-lettered, and its kind not marked gone this time. */
    public void rejected(Exchange exchange) {
        CacheRun run = run(exchange);
        CacheRun.Fetch fetch = exchange.getProperty(FETCH, CacheRun.Fetch.class);
        run.incomplete(fetch.kind());
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        deadLetters.add(exchange, "cache", run.getInstance().index(), fetch.path(),
                "malformed " + fetch.kind().label() + " record from " + fetch.path() + ": "
                        + (cause == null ? "?" : cause.getMessage()), "malformed", exchange.getIn().getBody());
        exchange.getIn().setBody(null);
    }

    /**
     * A batch of records as rows of the staging table, for the route's {@code sql:} insert. A record NetYpareo listed
     * twice in one answer is a dead letter and the first one is kept.
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> stage(Exchange exchange) {
        CacheRun run = run(exchange);
        List<StagedRecord> rows = exchange.getIn().getBody(List.class);
        if (run.isClosed() || rows == null || rows.isEmpty()) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (StagedRecord r : rows) {
            if (run.firstTime(r.kind(), r.key())) {
                out.add(CacheStaging.row(run.getId(), r));
            } else {
                deadLetters.add(exchange, "cache", run.getInstance().index(), r.key(),
                        "NetYpareo listed this record twice in one answer; the first one is kept", "duplicate", null);
            }
        }
        return out;
    }

    /** An endpoint failed for good (after retries): this instance's cache is left untouched. */
    public void endpointFailed(Exchange exchange) {
        CacheRun run = exchange.getProperty(RUN, CacheRun.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown failure" : cause.getMessage();
        if (run != null) {
            run.fail(reason);
        }
        exchange.setProperty(DeadLetters.RECORD_KEY, exchange.getProperty(FETCH, CacheRun.Fetch.class) == null
                ? null : exchange.getProperty(FETCH, CacheRun.Fetch.class).path());
    }

    /** Guard, then apply (or not), then the summary lines and the instance's cache status. */
    public void finish(Exchange exchange) {
        CacheRun run = run(exchange);
        StageRun stageRun = StageRuns.current(exchange);
        NetypareoInstance instance = run.getInstance();
        run.close();
        Map<CacheKind, Integer> staged = cache.stagedCounts(run.getId());
        int total = staged.values().stream().mapToInt(Integer::intValue).sum();
        stageRun.addRead(total);
        long ms = Duration.between(run.getStartedAt(), Instant.now()).toMillis();
        if (run.isFailed()) {
            String why = "instance " + instance.index() + " (" + instance.name() + "): cache not updated: "
                    + run.getFailure();
            REPORT.info("  {}", why);
            stageRun.fail(why);
            status.record(instance.index(), run.getStartedAt(), false, "FAILED", run.getFailure(), ms);
            return;
        }
        REPORT.info("Reading {} records...", total);
        run.notes().forEach(n -> REPORT.info("  note: {}", n));
        Set<CacheKind> kinds = run.fetchedKinds();
        Optional<String> refused = CacheGuard.check(staged, cache.acceptedCounts(instance.index()), kinds,
                settings.decimal("sync.guard.min-ratio"));
        if (refused.isPresent() && !stageRun.force()) {
            String why = "instance " + instance.index() + " (" + instance.name() + "): cache not updated: "
                    + refused.get() + "; run 'run cache --force' to accept it";
            REPORT.info("  {}", why);
            stageRun.fail(why);
            status.record(instance.index(), run.getStartedAt(), false, "REFUSED", refused.get(), ms);
            return;
        }
        Map<CacheKind, KindCounts> counts = apply.apply(template(exchange), run.getId(), instance.index(), kinds,
                run.incompleteKinds(), Instant.now(), !stageRun.dryRun());
        int created = 0;
        int changed = 0;
        for (var e : counts.entrySet()) {
            KindCounts k = e.getValue();
            created += k.created();
            changed += k.changed();
            REPORT.info("  {}: {} read, {} new, {} changed, {} gone", e.getKey().label(), k.read(), k.created(),
                    k.changed(), k.gone());
        }
        stageRun.addCreated(created);
        stageRun.addUpdated(changed);
        stageRun.addUnchanged(total - created - changed);
        if (!stageRun.dryRun()) {
            status.record(instance.index(), run.getStartedAt(), true, "OK", String.join("; ", run.notes()), ms);
        }
    }

    private ProducerTemplate template(Exchange exchange) {
        if (template == null) {
            template = exchange.getContext().createProducerTemplate();
        }
        return template;
    }

    private static CacheRun run(Exchange exchange) {
        CacheRun run = exchange.getProperty(RUN, CacheRun.class);
        if (run == null) {
            throw new IllegalStateException("no cache run on this exchange");
        }
        return run;
    }
}
