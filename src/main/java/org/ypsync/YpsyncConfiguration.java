package org.ypsync;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.ypsync.netypareo.NetypareoClient;
import org.ypsync.ops.DeadLetters;
import org.ypsync.ops.Secrets;
import org.ypsync.ops.StageRunner;
import org.ypsync.ops.StageRuns;
import org.ypsync.ops.YpsyncManagement;
import org.ypsync.stage.CacheBatchStrategy;
import org.ypsync.stage.CacheStage;
import org.ypsync.stage.Settings;
import org.ypsync.store.Store;

/**
 * Wires ypsync's beans into Camel's registry from the configuration; the YAML routes refer to them by name.
 * Found by Camel Main's package scan, so a host application that scans org.ypsync gets the same wiring.
 */
public class YpsyncConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
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
        // Camel's aggregator hands completed batches to a thread of its own unless told otherwise; the stages need
        // each batch written before the step after the split runs, so batches run in the caller's thread.
        registry.bind("callerRunsExecutor", new SynchronousExecutorService());
        registry.bind("cacheStage", new CacheStage(settings, netypareo, store.cache(), store.cacheStatus(), deadLetters));

        StageRunner runner = new StageRunner(context);
        registry.bind("stageRunner", runner);
        context.addService(new YpsyncManagement(runner, stageRuns));
    }
}
