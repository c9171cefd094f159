package org.ypsync;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.ops.StageRunner;
import org.ypsync.store.Store;

/**
 * For a {@code @CamelMainTest} class on the real routes against the emulators: registered as a static
 * {@code @RegisterExtension} field of a class that implements {@link Configured}, it starts the demo's emulators
 * (two NetYpareo instances, a Moodle) and the store once for the class and closes them after; each test's Camel
 * Main gets the emulators' URLs and tokens as override properties (no system property), and the test its beans.
 */
public final class EmulatedWorld implements BeforeAllCallback, AfterAllCallback {
    private static final Map<Class<?>, EmulatedWorld> WORLDS = new ConcurrentHashMap<>();

    /**
     * Implemented by a test class with an {@code EmulatedWorld} field: each test's Camel Main gets the world
     * ({@link #configure}), and the test reaches the emulators and the beans of its Camel context.
     */
    public interface Configured {
        @Configure
        default void emulatedWorld(MainConfigurationProperties main) {
            world().configure(main);
        }

        private EmulatedWorld world() {
            EmulatedWorld world = WORLDS.get(getClass());
            if (world == null) {
                throw new IllegalStateException(getClass() + " has no static @RegisterExtension EmulatedWorld");
            }
            return world;
        }

        default DemoEnvironment env() {
            return world().env();
        }

        default StageRunner runner() {
            return world().runner();
        }

        default Store store() {
            return world().store();
        }

        default CamelContext context() {
            return world().context();
        }
    }

    private final Supplier<DemoEnvironment> start;
    private final boolean management;
    private DemoEnvironment env;
    private Map<String, String> properties;
    private volatile CamelContext context;

    private EmulatedWorld(Supplier<DemoEnvironment> start, boolean management) {
        this.start = start;
        this.management = management;
    }

    /** The demo's emulators with data of {@code seed} (and seed + 1) of that size, on that store. */
    public static EmulatedWorld of(long seed, DataSetSize size, String storeUrl) {
        return new EmulatedWorld(() -> DemoEnvironment.start(seed, size, storeUrl), false);
    }

    /** As it is, plus Camel's management server (health, metrics) on a free port ({@link #managementPort()}). */
    public EmulatedWorld withManagement() {
        return new EmulatedWorld(start, true);
    }

    @Override
    public void beforeAll(ExtensionContext junit) throws IOException {
        env = start.get();
        properties = management ? TestMain.withManagement(env.properties()) : env.properties();
        WORLDS.put(junit.getRequiredTestClass(), this);
    }

    @Override
    public void afterAll(ExtensionContext junit) {
        WORLDS.remove(junit.getRequiredTestClass());
        env.close();
    }

    /** For the Camel Main of the test about to run (from {@link Configured}). */
    void configure(MainConfigurationProperties main) {
        TestMain.properties(main, properties, started -> context = started);
    }

    public DemoEnvironment env() {
        return env;
    }

    /** What each test's Camel Main gets: the emulators' URLs and tokens, the store, the management port. */
    public Map<String, String> properties() {
        return properties;
    }

    public int managementPort() {
        return Integer.parseInt(properties.get("camel.management.port"));
    }

    public CamelContext context() {
        if (context == null) {
            throw new IllegalStateException("no Camel context: the class has no @Configure method calling configure");
        }
        return context;
    }

    public StageRunner runner() {
        return context().getRegistry().lookupByNameAndType("stageRunner", StageRunner.class);
    }

    public Store store() {
        return context().getRegistry().lookupByNameAndType("ypsyncStore", Store.class);
    }
}
