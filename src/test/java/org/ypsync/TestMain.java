package org.ypsync;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;

/**
 * For the tests that need ypsync's real routes and components without a stage run: Camel Main as the launcher
 * starts it, schedules, management and JMX off, an in-memory store unless {@code overrides} names one. For the
 * {@code @CamelMainTest} classes, {@link #properties} hands over the properties only known once their emulators run.
 */
public final class TestMain {
    private TestMain() {
    }

    /** A started Main; stop it when done. */
    public static Main start(Map<String, String> overrides) {
        Main main = new Main(Launcher.class);
        Properties props = new Properties();
        props.put("ypsync.schedule.enabled", "false");
        props.put("camel.management.enabled", "false");
        props.put("camel.main.jmx-enabled", "false");
        props.put("camel.component.quartz.auto-start-scheduler", "false");
        props.put("ypsync.store.url", h2("test-main"));
        props.putAll(overrides);
        main.setOverrideProperties(props);
        main.start();
        return main;
    }

    /** A fresh in-memory H2 store of that name, kept while the JVM runs. */
    public static String h2(String name) {
        return "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    /**
     * {@code properties} plus Camel's management server (health, metrics) on a free loopback port, the one
     * {@code camel.management.port} holds.
     */
    public static Map<String, String> withManagement(Map<String, String> properties) throws IOException {
        Map<String, String> out = new TreeMap<>(properties);
        try (ServerSocket s = new ServerSocket(0)) {
            out.put("camel.management.port", String.valueOf(s.getLocalPort()));
        }
        out.put("camel.management.enabled", "true");
        return out;
    }

    /**
     * From a {@code @Configure} method of a {@code @CamelMainTest} class: {@code properties} (the emulators' URLs and
     * tokens, a store URL) become override properties of the Camel Main under test, as the annotation's own
     * {@code properties} are, before anything reads them; nothing is set in the JVM's system properties.
     */
    public static void properties(MainConfigurationProperties main, Map<String, String> properties) {
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeInitialize(BaseMainSupport m) {
                properties.forEach(m::addOverrideProperty);
            }
        });
    }

    /** As above, and {@code context} gets the Camel context once its routes are being added. */
    public static void properties(MainConfigurationProperties main, Map<String, String> properties,
                                  Consumer<CamelContext> context) {
        properties(main, properties);
        // no route: the hook by which the caller learns the context (a CamelConfiguration class in the tests would
        // be picked up by the package scan of every test's Camel Main)
        main.withAdditionalLambdaRouteBuilder(routes -> context.accept(routes.getContext()));
    }
}
