package org.ypsync;

import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.main.Main;

/**
 * For the tests that need ypsync's real routes and components without a stage run: Camel Main as the launcher
 * starts it, schedules, management and JMX off, an in-memory store unless {@code overrides} names one.
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
        props.put("ypsync.store.url", "jdbc:h2:mem:test-main-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        props.putAll(overrides);
        main.setOverrideProperties(props);
        main.start();
        return main;
    }
}
