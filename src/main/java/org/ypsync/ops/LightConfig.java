package org.ypsync.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The configuration as Camel Main would see it, without starting Camel: application.properties from the
 * classpath, overridden by environment variables (netypareo.demo.token: NETYPAREO_DEMO_TOKEN), then by JVM system
 * properties, then by explicit overrides. For the commands that only read the store (status, dead-letters list),
 * so that they run next to a running daemon without starting routes, schedules or servers.
 */
public final class LightConfig {
    private final Properties file;
    private final Map<String, String> env;
    private final Properties system;
    private final Map<String, String> overrides;

    LightConfig(Properties file, Map<String, String> env, Properties system, Map<String, String> overrides) {
        this.file = file;
        this.env = env;
        this.system = system;
        this.overrides = overrides;
        registerSecrets();
    }

    /** The process's configuration plus {@code overrides}. */
    public static LightConfig load(Map<String, String> overrides) {
        Properties file = new Properties();
        try (InputStream in = LightConfig.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                file.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read application.properties: " + e.getMessage(), e);
        }
        return new LightConfig(file, System.getenv(), System.getProperties(), new HashMap<>(overrides));
    }

    /** The environment variable Camel reads for a key. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Optional<String> get(String key) {
        String v = overrides.get(key);
        if (v == null) {
            v = system.getProperty(key);
        }
        if (v == null) {
            v = env.get(envName(key));
        }
        if (v == null) {
            v = file.getProperty(key);
        }
        return Optional.ofNullable(v).map(String::strip);
    }

    /** Every value of a key that holds a secret is masked from then on, whatever prints it. */
    private void registerSecrets() {
        for (String key : file.stringPropertyNames()) {
            if (key.endsWith(".token") || key.endsWith(".password")) {
                get(key).ifPresent(Secrets::register);
            }
        }
        get("netypareo.instances").ifPresent(ids -> {
            for (String id : ids.split(",")) {
                get("netypareo." + id.strip() + ".token").ifPresent(Secrets::register);
            }
        });
        get("moodle.token").ifPresent(Secrets::register);
        get("ypsync.store.password").ifPresent(Secrets::register);
        overrides.forEach((k, v) -> {
            if (k.endsWith(".token") || k.endsWith(".password")) {
                Secrets.register(v);
            }
        });
    }
}
