package org.ypsync.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ypsync.netypareo.NetypareoCalls;
import org.ypsync.netypareo.NetypareoEndpoint;
import org.ypsync.netypareo.NetypareoInstance;
import org.ypsync.netypareo.Period;
import org.ypsync.netypareo.Periods;
import org.ypsync.netypareo.RecordStream;
import org.ypsync.ops.DeadLetters;
import org.ypsync.ops.Secrets;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.Settings;
import org.ypsync.ops.StageRuns;
import org.ypsync.store.CacheApply;
import org.ypsync.store.CacheDelta;
import org.ypsync.store.CacheKind;
import org.ypsync.store.CacheRepository;
import org.ypsync.store.CacheRepository.KindCounts;
import org.ypsync.store.CacheStaging;
import org.ypsync.store.CacheStatusRepository;
import org.ypsync.store.StagedRecord;
import org.ypsync.store.StoreException;

/**
 * The steps of the cache stage ("Mettre à jour les données de cache"), called by routes/cache.camel.yaml: for each
 * instance, read every endpoint into the staging table, then check the counts against the guard and apply them to
 * the cache in one transaction, or leave the cache untouched and say why.
 */
public final class CacheStage {
    public static final String RUN = "cacheRun";
    public static final String FETCH = "cacheFetch";
    private static final Logger LOG = LoggerFactory.getLogger(CacheStage.class);
    private static final Logger REPORT = LoggerFactory.getLogger("ypsync.report");

    private final Settings settings;
    private final CacheRepository cache;
    private final CacheApply apply;
    private volatile ProducerTemplate template;
    private final CacheStatusRepository status;
    private final DeadLetters deadLetters;

    private final int concurrency;
    private final int batchSize;

    /** {@code concurrency}: the calls of one instance in flight at most (netypareo.fetch-concurrency). */
    public CacheStage(Settings settings, CacheRepository cache, CacheApply apply, CacheStatusRepository status,
                      DeadLetters deadLetters, int concurrency) {
        this.concurrency = concurrency;
        this.batchSize = settings.integer("ypsync.cache.batch-size");
        this.apply = apply;
        this.settings = settings;
        this.cache = cache;
        this.status = status;
        this.deadLetters = deadLetters;
    }

    public List<NetypareoInstance> instances() {
        return settings.instances();
    }

    /**
     * Opens the run of the instance in the body, with the content hashes of its stored rows; the seed's header is
     * printed with the run's summary (instances are read side by side).
     */
    public void begin(Exchange exchange) {
        NetypareoInstance instance = exchange.getIn().getBody(NetypareoInstance.class);
        CacheRun run = new CacheRun(instance, LocalDate.now(), cache.delta(instance.index()), concurrency);
        exchange.setProperty(RUN, run);
        exchange.setProperty(DeadLetters.INSTANCE, instance.index());
        status.saveInstance(instance.index(), instance.id(), instance.name(), instance.baseUrl());
        Headers.lines(instance).forEach(run::header);
        run.header("Updating cache status for instance " + instance.index());
    }

    /**
     * Every endpoint of the run, in the order their dependencies allow, for the route's one split: the accounts,
     * the periods and the FC groups (of the date window) at once; the diploma groups of the configured periods (and,
     * for the courses stage, their trainers) once the periods are read; a group's members once its list answered.
     */
    public Iterator<CacheRun.Fetch> fetches(Exchange exchange) {
        CacheRun run = run(exchange);
        LocalDate from = run.getToday().minusDays(settings.integer("sync.fc.window-past-days"));
        LocalDate to = run.getToday().plusDays(settings.integer("sync.fc.window-future-days"));
        // the biggest answers first: they take longest
        return run.fetches(List.of(new CacheRun.Fetch(CacheKind.PERIODS, settings.path("periods"), null),
                new CacheRun.Fetch(CacheKind.STUDENTS, settings.path("students"), null),
                new CacheRun.Fetch(CacheKind.FC_GROUPS, NetypareoEndpoint.resolve(settings.path("fc-groups"),
                        NetypareoEndpoint.window(from, to)), null),
                new CacheRun.Fetch(CacheKind.STAFF, settings.path("staff"), null),
                new CacheRun.Fetch(CacheKind.TUTORS, settings.path("tutors"), null),
                new CacheRun.Fetch(CacheKind.SITES, settings.path("sites"), null)),
                done -> followUps(run, done));
    }

    /** What can be read once {@code done} is: the fetches that need its answer. */
    private List<CacheRun.Fetch> followUps(CacheRun run, CacheRun.Fetch done) {
        return switch (done.kind()) {
            case PERIODS -> diplomaGroupFetches(run);
            case DIPLOMA_GROUPS, FC_GROUPS -> memberFetches(run, done);
            default -> List.of();
        };
    }

    /** Diploma groups of the configured periods (the current one by default). */
    private List<CacheRun.Fetch> diplomaGroupFetches(CacheRun run) {
        List<CacheRun.Fetch> fetches = new ArrayList<>();
        boolean courses = settings.bool("sync.courses.enabled");
        for (String period : diplomaPeriods(run)) {
            fetches.add(new CacheRun.Fetch(CacheKind.DIPLOMA_GROUPS,
                    NetypareoEndpoint.resolve(settings.path("diploma-groups"), Map.of("period", period)), null));
            if (courses) {
                // the courses stage enrols the trainers of each group's timetable
                fetches.add(new CacheRun.Fetch(CacheKind.GROUP_TRAINERS,
                        NetypareoEndpoint.resolve(settings.path("group-trainers"), Map.of("period", period)), null));
            }
        }
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

    /** The members of every group a group list gave, once it answered. */
    private List<CacheRun.Fetch> memberFetches(CacheRun run, CacheRun.Fetch list) {
        if (!run.fetchedKinds().contains(list.kind())) {
            return List.of();
        }
        CacheKind members = list.kind() == CacheKind.FC_GROUPS ? CacheKind.FC_MEMBERS : CacheKind.DIPLOMA_MEMBERS;
        // The groups were read, so their member lists are complete even when there is no group at all.
        run.fetched(members);
        List<CacheRun.Fetch> fetches = new ArrayList<>();
        for (Integer code : run.newGroups(list)) {
            fetches.add(new CacheRun.Fetch(members, NetypareoEndpoint.resolve(settings.path("group-members"),
                    Map.of("group", String.valueOf(code))), code));
        }
        return fetches;
    }

    /**
     * The fetch in the body holds one of its instance's lanes (taken as the split handed it out): given back once
     * its answer is received ({@link #opened}), or else when the fetch's exchange is done, whether it failed after
     * its retries or was skipped.
     */
    public void lane(Exchange exchange) {
        CacheRun run = run(exchange);
        CacheRun.Fetch fetch = exchange.getIn().getBody(CacheRun.Fetch.class);
        if (fetch.isNothing()) {
            return;
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                run.done(fetch);
            }
        });
    }

    /** The fetch in the body becomes the instance and path of {@code direct:netypareo-get}. */
    public void request(Exchange exchange) {
        CacheRun run = run(exchange);
        CacheRun.Fetch fetch = exchange.getIn().getBody(CacheRun.Fetch.class);
        exchange.setProperty(FETCH, fetch);
        exchange.setProperty(NetypareoCalls.INSTANCE, run.getInstance());
        exchange.setProperty(NetypareoCalls.PATH, fetch.path());
        // the answer received whole before it is mapped: the lane is free meanwhile (opened)
        exchange.setProperty(NetypareoCalls.WHOLE, true);
    }

    /**
     * NetYpareo answered the fetch, and its answer is received whole: its lane is given back, and its kinds count as
     * read (the records are mapped next).
     */
    public void opened(Exchange exchange) {
        CacheRun run = run(exchange);
        CacheRun.Fetch fetch = exchange.getProperty(FETCH, CacheRun.Fetch.class);
        run.received(fetch);
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
            case DIPLOMA_GROUPS, FC_GROUPS -> run.group(fetch, (Integer) first.values().get(0));
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
     * A batch of records as rows of the staging table, for the route's {@code sql:} insert: only the new, changed
     * and returning ones (an unchanged record is counted as read and not written), gathered across the run's
     * fetches into batches of ypsync.cache.batch-size rows (an empty list until one is full). A record NetYpareo
     * listed twice in one answer is a dead letter and the first one is kept.
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> stage(Exchange exchange) {
        CacheRun run = run(exchange);
        List<StagedRecord> rows = exchange.getIn().getBody(List.class);
        if (run.isClosed() || run.isFailed() || rows == null || rows.isEmpty()) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (StagedRecord r : rows) {
            CacheDelta.Seen seen = run.delta().see(r);
            if (seen == CacheDelta.Seen.NEW || seen == CacheDelta.Seen.CHANGED) {
                out.add(CacheStaging.row(run.getId(), r));
            } else if (seen == CacheDelta.Seen.DUPLICATE) {
                deadLetters.add(exchange, "cache", run.getInstance().index(), r.key(),
                        "NetYpareo listed this record twice in one answer; the first one is kept", "duplicate", null);
            }
        }
        return run.toStage(out, batchSize);
    }

    /** The rows {@link #stage} gathered and did not stage yet, once every fetch is done. */
    public List<Map<String, Object>> unstaged(Exchange exchange) {
        CacheRun run = run(exchange);
        return run.isFailed() ? List.of() : run.unstaged();
    }

    /**
     * The store failed while it staged a batch of records (a lost connection, a constraint): the instance's run
     * fails as a store error, with the SQL state, and its cache is left untouched. Never a record listed twice:
     * those are found before staging ({@link #stage}).
     */
    public void stagingFailed(Exchange exchange) {
        CacheRun run = run(exchange);
        CacheRun.Fetch fetch = exchange.getProperty(FETCH, CacheRun.Fetch.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = storeError("staging " + (fetch == null ? "cache" : fetch.kind().label()) + " records", cause);
        LOG.error("cache: instance {}: {}", run.getInstance().index(), reason);
        run.fail(reason);
    }

    /** "store error while {what} (SQL state S: message)", secrets masked. */
    static String storeError(String what, Throwable cause) {
        return Secrets.mask("store error while " + what + " ("
                + (cause == null ? "unknown failure" : StoreException.describe(cause)) + ")");
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

    /**
     * Guard, then the apply with the gone marks (or not), then the summary lines (with the run's header, in one block)
     * and the instance's cache status.
     */
    public void finish(Exchange exchange) {
        CacheRun run = run(exchange);
        List<String> report = new ArrayList<>(run.header());
        try {
            finish(exchange, run, report);
        } finally {
            run.close();
            synchronized (REPORT) {
                report.forEach(REPORT::info);
            }
        }
    }

    private void finish(Exchange exchange, CacheRun run, List<String> report) {
        StageRun stageRun = StageRuns.current(exchange);
        NetypareoInstance instance = run.getInstance();
        CacheDelta delta = run.delta();
        Map<CacheKind, Integer> read = delta.readCounts();
        int total = read.values().stream().mapToInt(Integer::intValue).sum();
        stageRun.addRead(total);
        long ms = Duration.between(run.getStartedAt(), Instant.now()).toMillis();
        if (run.isFailed()) {
            String why = "instance " + instance.index() + " (" + instance.name() + "): cache not updated: "
                    + run.getFailure();
            report.add("  " + why);
            stageRun.fail(why);
            status.record(instance.index(), run.getStartedAt(), false, "FAILED", run.getFailure(), ms);
            return;
        }
        report.add("Reading " + total + " records...");
        run.notes().forEach(n -> report.add("  note: " + n));
        Set<CacheKind> kinds = run.fetchedKinds();
        Optional<String> refused = CacheGuard.check(read, cache.acceptedCounts(instance.index()), kinds,
                settings.decimal("sync.guard.min-ratio"));
        if (refused.isPresent() && !stageRun.force()) {
            String why = "instance " + instance.index() + " (" + instance.name() + "): cache not updated: "
                    + refused.get() + "; run 'run cache --force' to accept it";
            report.add("  " + why);
            stageRun.fail(why);
            status.record(instance.index(), run.getStartedAt(), false, "REFUSED", refused.get(), ms);
            return;
        }
        // the kinds with unreadable records mark nothing gone this time
        Map<CacheKind, KindCounts> counts;
        try {
            counts = apply.apply(template(exchange), run.getId(), instance.index(), delta, kinds,
                    run.incompleteKinds(), settings.integer("ypsync.cache.batch-size"), Instant.now(),
                    !stageRun.dryRun());
        } catch (RuntimeException e) {
            // the gone marks or the apply's transaction: nothing of the run is applied (the transaction rolls back)
            String why = "instance " + instance.index() + " (" + instance.name() + "): cache not updated: "
                    + storeError("applying the run", e);
            report.add("  " + why);
            stageRun.fail(why);
            status.record(instance.index(), run.getStartedAt(), false, "FAILED", why, ms);
            return;
        }
        int created = 0;
        int changed = 0;
        for (var e : counts.entrySet()) {
            KindCounts k = e.getValue();
            created += k.created();
            changed += k.changed();
            report.add("  " + e.getKey().label() + ": " + k.read() + " read, " + k.created() + " new, " + k.changed()
                    + " changed, " + k.gone() + " gone");
        }
        stageRun.addCreated(created);
        stageRun.addUpdated(changed);
        stageRun.addUnchanged(total - created - changed);
        if (!stageRun.dryRun()) {
            status.record(instance.index(), run.getStartedAt(), true, "OK", String.join("; ", run.notes()), ms);
        }
    }

    private synchronized ProducerTemplate template(Exchange exchange) {
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
