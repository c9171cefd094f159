package org.ypsync;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ypsync.cluster.QuartzCluster;
import org.ypsync.moodle.MoodleBatchStrategy;
import org.ypsync.moodle.MoodleClient;
import org.ypsync.moodle.MoodleSettings;
import org.ypsync.netypareo.NetypareoCalls;
import org.ypsync.moodle.CamelMoodleTransport;
import org.ypsync.moodle.MoodlePreflight;
import org.ypsync.ops.Check;
import org.ypsync.ops.DeadLetterReplay;
import org.ypsync.ops.DeadLetters;
import org.ypsync.ops.EndpointNames;
import org.ypsync.ops.HttpComponents;
import org.ypsync.ops.ObservedMoodleTransport;
import org.ypsync.ops.Secrets;
import org.ypsync.ops.StageLocks;
import org.ypsync.ops.StageRunner;
import org.ypsync.ops.StageRuns;
import org.ypsync.ops.YpsyncHealthChecks;
import org.ypsync.ops.YpsyncManagement;
import org.ypsync.ops.YpsyncMetrics;
import org.ypsync.stage.BatchExecutor;
import org.ypsync.stage.CacheBatchStrategy;
import org.ypsync.stage.CacheStage;
import org.ypsync.stage.CohortStage;
import org.ypsync.stage.DriftSchedule;
import org.ypsync.stage.MoodleWriter;
import org.ypsync.stage.UserStage;
import org.ypsync.ops.Settings;
import org.ypsync.store.Store;

/**
 * Wires ypsync's beans into Camel's registry from the configuration; the YAML routes refer to them by name.
 * Listed in camel.main.configuration-classes, so a host application that lists it gets the same wiring.
 */
public class YpsyncConfiguration implements CamelConfiguration {
    /** NetYpareo calls of one instance in flight when netypareo.fetch-concurrency is not set. */
    public static final int DEFAULT_FETCH_CONCURRENCY = 4;
    private static final int CACHE_STAGING_WRITERS = 2;
    /**
     * Staging batches held beyond the two being written (at most 16 x ypsync.cache.batch-size records): the big
     * account answers come in a burst, and a fetch that waited for the store would keep its share of the machine
     * from the member calls.
     */
    private static final int CACHE_STAGING_QUEUED = 14;

    /** The moodle.* keys, as the Moodle client reads them; the token is registered as a secret. */
    static MoodleSettings moodleSettings(Settings settings) {
        Map<String, String> cfg = new HashMap<>();
        // the timeouts configure the moodleHttp component; the client names them in its messages
        settings.optional("moodle.http.connect-timeout-ms").ifPresent(v -> cfg.put("connect-timeout-ms", v));
        settings.optional("moodle.http.read-timeout-ms").ifPresent(v -> cfg.put("read-timeout-ms", v));
        for (String key : List.of("url", "token", "max-input-vars",
                "input-vars-margin", "max-records-per-batch", "retry.max-attempts", "retry.initial-backoff-ms",
                "retry.multiplier", "retry.max-backoff-ms", "password-policy", "allow-shared-email")) {
            settings.optional("moodle." + key).ifPresent(v -> cfg.put(key, v));
        }
        for (String function : MoodleClient.BATCHED_WRITES) {
            String key = "max-records-per-batch." + function;
            settings.optional("moodle." + key).ifPresent(v -> cfg.put(key, v));
        }
        Secrets.register(cfg.get("token"));
        return MoodleSettings.fromConfig(cfg);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        if (context.getRegistry().lookupByName("ypsyncStore") != null) {
            // Camel Main may meet this class twice (configuration-classes and the main class's own list).
            return;
        }
        Settings settings = new Settings(key -> context.getPropertiesComponent().resolveProperty(key));
        settings.optional("ypsync.store.password").ifPresent(Secrets::register);

        Store store = Store.open(settings.required("ypsync.store.url"), settings.optional("ypsync.store.user").orElse(null),
                settings.optional("ypsync.store.password").orElse(null), settings.integer("ypsync.store.pool-size"));
        // several nodes: the schedules move to the QRTZ_* tables of this store (ypsync.cluster.enabled)
        QuartzCluster.configure(context, settings);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                store.close();
            }
        }, true, true);

        YpsyncMetrics metrics = new YpsyncMetrics(meterRegistry(context));
        metrics.registerStages(StageRunner.STAGES, () -> store.deadLetters().countsByStage());
        // NetYpareo GETs: the named http component of routes/cache.camel.yaml (netypareo-get), and its route's steps
        context.addComponent("netypareoHttp", HttpComponents.create(context, settings, "netypareo.http"));
        NetypareoCalls netypareo = new NetypareoCalls(settings.millis("netypareo.http.connect-timeout-ms").toMillis(),
                settings.millis("netypareo.http.read-timeout-ms").toMillis());
        EndpointNames endpoints = new EndpointNames(endpointTemplates(settings));
        netypareo.observe((instance, path, outcome, nanos) -> metrics.netypareoCall(instance, endpoints.name(path),
                outcome, nanos));
        // the run history and the dead letters are written by routes/operations.camel.yaml (camel-sql on this
        // DataSource); the beans hand their rows to those routes
        ProducerTemplate storeWrites = context.createProducerTemplate();
        context.addService(storeWrites, true, true);
        DeadLetters deadLetters = new DeadLetters(storeWrites, metrics);
        StageLocks locks = new StageLocks(store.locks(),
                java.time.Duration.ofSeconds(settings.optional("ypsync.lock.ttl-seconds").map(Long::parseLong).orElse(300L)));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                locks.close();
            }
        }, true, true);
        StageRuns stageRuns = new StageRuns(storeWrites, locks, metrics);

        var registry = context.getRegistry();
        // with camel.main.log-mask (on in application.properties), Camel's tracer, message history and log EIP print
        // bodies and headers through this formatter: the form body of a Moodle call holds the token
        if (registry.lookupByName(org.apache.camel.spi.MaskingFormatter.CUSTOM_LOG_MASK_REF) == null) {
            registry.bind(org.apache.camel.spi.MaskingFormatter.CUSTOM_LOG_MASK_REF,
                    (org.apache.camel.spi.MaskingFormatter) Secrets::mask);
        }
        // the tracer (camel.main.tracing) does not go through that formatter: its lines are masked here
        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() {
                org.apache.camel.spi.Tracer tracer = context.getTracer();
                org.apache.camel.spi.ExchangeFormatter formatter = tracer == null ? null : tracer.getExchangeFormatter();
                if (formatter != null && !(formatter instanceof MaskedExchangeFormatter)) {
                    tracer.setExchangeFormatter(new MaskedExchangeFormatter(formatter));
                }
            }
        }, true, true);
        registry.bind("ypsyncSettings", settings);
        registry.bind("ypsyncStore", store);
        // the store's pool, for the routes' sql: endpoints (dataSource=#ypsyncDataSource)
        registry.bind("ypsyncDataSource", store.dataSource());
        registry.bind("netypareoCalls", netypareo);
        registry.bind("deadLetters", deadLetters);
        registry.bind("stageRuns", stageRuns);
        registry.bind("cacheBatchStrategy", new CacheBatchStrategy());
        // The cache's staging batches are written on threads of their own, two at a time (the store's writes take the
        // CPU; more side by side only contend): a fetch hands its batch over and goes on, so its NetYpareo lane is
        // not held while the store writes; a third batch waits for a free writer. The instance's route waits for all
        // of them before its last rows and the apply (see BatchExecutor for why not in the caller's own thread).
        // The cache stage reads NetYpareo side by side: instances in parallel (cacheInstanceExecutor), and within
        // one instance at most netypareo.fetch-concurrency calls in flight (the run's lanes): per instance, its fetches
        // in flight and the split handing them out (which waits for a free lane) take threads of cacheFetchExecutor.
        int fetchConcurrency = settings.optional("netypareo.fetch-concurrency").map(v -> Integer.parseInt(v.trim()))
                .orElse(DEFAULT_FETCH_CONCURRENCY);
        if (fetchConcurrency < 1) {
            throw new IllegalArgumentException("netypareo.fetch-concurrency must be at least 1: " + fetchConcurrency);
        }
        var pools = context.getExecutorServiceManager();
        registry.bind("cacheInstanceExecutor", pools.newFixedThreadPool(this, "ypsync-cache-instance",
                fetchConcurrency));
        registry.bind("cacheFetchExecutor", pools.newFixedThreadPool(this, "ypsync-cache-fetch",
                fetchConcurrency * (fetchConcurrency + 1)));
        registry.bind("cacheStagingExecutor", new BatchExecutor("ypsync-cache-batch", CACHE_STAGING_WRITERS,
                CACHE_STAGING_QUEUED, false));
        // Moodle batches: at most moodle.write-concurrency calls in flight; each split waits for all of its batches
        // before the stage's next step (routes/moodle.camel.yaml).
        registry.bind("moodleBatchExecutor", new BatchExecutor("ypsync-moodle-batch",
                settings.optional("moodle.write-concurrency").map(v -> Integer.parseInt(v.trim()))
                        .orElse(BatchExecutor.DEFAULT_MOODLE_CONCURRENCY), false));
        // the cache stage's batches of streamed records count towards its progress lines
        context.getCamelContextExtension().addInterceptStrategy(new org.ypsync.ops.BatchProgress("cacheStage", "stage"));
        registry.bind("cacheStage", new CacheStage(settings, store.cache(), new org.ypsync.store.CacheApply(store.dataSource()), store.cacheStatus(), deadLetters,
                fetchConcurrency));

        MoodleSettings moodleSettings = moodleSettings(settings);
        // every Moodle call goes through the route direct:moodle-call and this component (moodle.http.*)
        context.addComponent("moodleHttp", HttpComponents.create(context, settings, "moodle.http"));
        MoodleClient moodle = new MoodleClient(moodleSettings,
                new ObservedMoodleTransport(new CamelMoodleTransport(context, moodleSettings), metrics));
        DriftSchedule drift = new DriftSchedule(settings.integer("sync.drift.every-runs"), store.runs());
        registry.bind("moodleClient", moodle);
        // one batching strategy per write function, each at the function's own record cap (routes/moodle.camel.yaml)
        Map.of(MoodleClient.CREATE_USERS, "moodleCreateUsersBatches",
                MoodleClient.UPDATE_USERS, "moodleUpdateUsersBatches",
                MoodleClient.CREATE_COHORTS, "moodleCreateCohortsBatches",
                MoodleClient.UPDATE_COHORTS, "moodleUpdateCohortsBatches",
                MoodleClient.ADD_COHORT_MEMBERS, "moodleAddCohortMembersBatches",
                MoodleClient.DELETE_COHORT_MEMBERS, "moodleDeleteCohortMembersBatches",
                MoodleClient.CREATE_CATEGORIES, "moodleCreateCategoriesBatches",
                MoodleClient.CREATE_COURSES, "moodleCreateCoursesBatches",
                MoodleClient.UPDATE_COURSES, "moodleUpdateCoursesBatches",
                MoodleClient.ENROL_USERS, "moodleEnrolUsersBatches")
                .forEach((function, bean) -> registry.bind(bean, new MoodleBatchStrategy(moodle.settings(), function)));
        // core_course_duplicate_course copies one course a call
        registry.bind("moodleDuplicateCourseBatches", new MoodleBatchStrategy(moodle.settings().fieldBudget(), 1));
        registry.bind("moodleWriter", new MoodleWriter(moodle));
        registry.bind("cohortStage", new CohortStage(settings, store.cacheReader(), store.links(), moodle, deadLetters, drift));
        registry.bind("courseStage", new org.ypsync.stage.CourseStage(settings, store.cacheReader(), store.links(),
                store.courseLinks(), moodle, deadLetters, drift));
        registry.bind("userStage", new UserStage(settings, store.cacheReader(), store.links(), store.fieldStates(), moodle,
                deadLetters, drift));

        registry.bind("check", new Check(settings, moodle, context,
                new org.ypsync.ops.FieldKeepingCheck(settings, store.links(), store.fieldStates(), moodle)));

        StageRunner runner = new StageRunner(context);
        registry.bind("stageRunner", runner);
        DeadLetterReplay replay = new DeadLetterReplay(runner, store.deadLetters());
        registry.bind("deadLetterReplay", replay);
        context.addService(new YpsyncManagement(runner, stageRuns, replay, store));

        // health checks: one HealthCheckRepository, registered with Camel's health-check registry as the context
        // starts (bound too, so that a host application can find it)
        Map<String, String> crons = new java.util.LinkedHashMap<>();
        StageRunner.STAGES.forEach(st -> settings.optional("sync." + st + ".cron").ifPresent(c -> crons.put(st, c)));
        java.util.Set<String> neededFunctions = Check.neededFunctions(settings);
        YpsyncHealthChecks health = new YpsyncHealthChecks(store::reachable,
                () -> MoodlePreflight.check(moodle, neededFunctions),
                java.time.Duration.ofSeconds(settings.optional("ypsync.health.moodle-ttl-seconds").map(Long::parseLong)
                        .orElse(600L)), store.runs()::last, st -> store.locks().find(st).isPresent(), crons,
                settings.optional("ypsync.schedule.enabled").map(Boolean::parseBoolean).orElse(true));
        registry.bind("ypsyncHealthChecks", health);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() {
                var checks = org.apache.camel.health.HealthCheckRegistry.get(context);
                if (checks != null) {
                    health.checks().forEach(c -> ((org.apache.camel.CamelContextAware) c).setCamelContext(context));
                    checks.register(health);
                }
            }
        }, true, true);
    }

    /**
     * The Micrometer registry: the host's "metricsRegistry" bean when there is one, otherwise a Prometheus one bound
     * under that name, which camel-micrometer-prometheus then serves at /observe/metrics with Camel's own metrics.
     */
    static io.micrometer.core.instrument.MeterRegistry meterRegistry(CamelContext context) {
        Object existing = context.getRegistry().lookupByName("metricsRegistry");
        if (existing instanceof io.micrometer.core.instrument.MeterRegistry r) {
            return r;
        }
        var created = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        context.getRegistry().bind("metricsRegistry", created);
        return created;
    }

    /** NetYpareo endpoint name -> its configured path template, to label the call metrics. */
    static Map<String, String> endpointTemplates(Settings settings) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String name : List.of("sites", "periods", "students", "staff", "tutors", "diploma-groups", "fc-groups",
                "group-members")) {
            settings.optional("netypareo.path." + name).ifPresent(t -> out.put(name, t));
        }
        return out;
    }

    /** An exchange formatter whose text has every registered secret masked. */
    record MaskedExchangeFormatter(org.apache.camel.spi.ExchangeFormatter delegate)
            implements org.apache.camel.spi.ExchangeFormatter {
        @Override
        public String format(org.apache.camel.Exchange exchange) {
            return Secrets.mask(delegate.format(exchange));
        }
    }
}
