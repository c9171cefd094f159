package org.ypsync;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.support.service.ServiceSupport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ypsync.moodle.MoodleBatchStrategy;
import org.ypsync.moodle.MoodleClient;
import org.ypsync.moodle.MoodleSettings;
import org.ypsync.netypareo.NetypareoClient;
import org.ypsync.ops.Check;
import org.ypsync.ops.DeadLetters;
import org.ypsync.ops.Secrets;
import org.ypsync.ops.StageRunner;
import org.ypsync.ops.StageRuns;
import org.ypsync.ops.YpsyncManagement;
import org.ypsync.stage.BatchExecutor;
import org.ypsync.stage.CacheBatchStrategy;
import org.ypsync.stage.CacheStage;
import org.ypsync.stage.CohortStage;
import org.ypsync.stage.DriftSchedule;
import org.ypsync.stage.MoodleWriter;
import org.ypsync.stage.UserStage;
import org.ypsync.stage.Settings;
import org.ypsync.store.Store;

/**
 * Wires ypsync's beans into Camel's registry from the configuration; the YAML routes refer to them by name.
 * Found by Camel Main's package scan, so a host application that scans org.ypsync gets the same wiring.
 */
public class YpsyncConfiguration implements CamelConfiguration {

    /** The moodle.* keys, as the Moodle client reads them; the token is registered as a secret. */
    static MoodleSettings moodleSettings(Settings settings) {
        Map<String, String> cfg = new HashMap<>();
        for (String key : List.of("url", "token", "connect-timeout-ms", "read-timeout-ms", "max-input-vars",
                "input-vars-margin", "max-records-per-batch", "retry.max-attempts", "retry.initial-backoff-ms",
                "retry.multiplier", "retry.max-backoff-ms", "password-policy")) {
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
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                store.close();
            }
        }, true, true);

        NetypareoClient netypareo = new NetypareoClient(settings.millis("netypareo.connect-timeout-ms"),
                settings.millis("netypareo.read-timeout-ms"));
        DeadLetters deadLetters = new DeadLetters(store.deadLetters());
        StageRuns stageRuns = new StageRuns(store.runs());

        var registry = context.getRegistry();
        registry.bind("ypsyncSettings", settings);
        registry.bind("ypsyncStore", store);
        registry.bind("deadLetters", deadLetters);
        registry.bind("stageRuns", stageRuns);
        registry.bind("cacheBatchStrategy", new CacheBatchStrategy());
        // Camel's aggregator hands completed batches to a thread of its own unless told otherwise; the cache stage
        // needs each batch written before the split goes on, so the caller waits for it (on another thread: see
        // BatchExecutor for why not in the caller's own thread).
        registry.bind("callerRunsExecutor", new BatchExecutor("ypsync-cache-batch", 1, true));
        // Moodle batches: at most moodle.write-concurrency calls in flight; each split waits for all of its batches
        // before the stage's next step (routes/moodle.camel.yaml).
        registry.bind("moodleBatchExecutor", new BatchExecutor("ypsync-moodle-batch",
                settings.optional("moodle.write-concurrency").map(v -> Integer.parseInt(v.trim()))
                        .orElse(BatchExecutor.DEFAULT_MOODLE_CONCURRENCY), false));
        registry.bind("cacheStage", new CacheStage(settings, netypareo, store.cache(), store.cacheStatus(), deadLetters));

        MoodleClient moodle = new MoodleClient(moodleSettings(settings));
        DriftSchedule drift = new DriftSchedule(settings.integer("sync.drift.every-runs"), store.runs());
        registry.bind("moodleClient", moodle);
        registry.bind("moodleBatchStrategy", new MoodleBatchStrategy(moodle.settings()));
        registry.bind("moodleWriter", new MoodleWriter(moodle));
        registry.bind("cohortStage", new CohortStage(settings, store.cacheReader(), store.links(), moodle, deadLetters, drift));
        registry.bind("userStage", new UserStage(settings, store.cacheReader(), store.links(), moodle, deadLetters, drift));

        registry.bind("check", new Check(settings, moodle, netypareo));

        StageRunner runner = new StageRunner(context);
        registry.bind("stageRunner", runner);
        context.addService(new YpsyncManagement(runner, stageRuns));
    }
}
