package org.ypsync.reuse;

import java.util.Map;
import org.apache.camel.main.Main;

/**
 * A host Camel Main application of an integrator's estate that reuses ypsync: its own main class, its own
 * properties file (src/test/resources/host-application.properties), its own route (host/routes/estate.camel.yaml),
 * and ypsync's routes and beans loaded from ypsync's jar by two keys of that file (camel.main.routes-include-pattern,
 * camel.main.configuration-classes). It does not read ypsync's application.properties: the keys ypsync needs are
 * copied into the host's file.
 */
public final class HostApplication {
    public static final String PROPERTIES = "classpath:host-application.properties";

    private HostApplication() {
    }

    /** The host's Main, not started; {@code overrides} win over the properties file (as -D does). */
    public static Main create(Map<String, Object> overrides) {
        Main main = new Main(HostApplication.class);
        main.setDefaultPropertyPlaceholderLocation(PROPERTIES);
        main.setOverrideProperties(overrides);
        return main;
    }

    public static void main(String[] args) throws Exception {
        create(Map.of()).run(args);
    }
}
