package org.ypsync.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.ypsync.netypareo.NetypareoInstance;

/**
 * Typed view of the configuration keys documented in application.properties. Values come from Camel's property
 * placeholders, so -Dkey=value and environment variables (NETYPAREO_DEMO_TOKEN for netypareo.demo.token) override
 * the file.
 */
public final class Settings {
    private final Function<String, Optional<String>> properties;

    public Settings(Function<String, Optional<String>> properties) {
        this.properties = properties;
    }

    public Optional<String> optional(String key) {
        return properties.apply(key).map(String::strip).filter(s -> !s.isEmpty());
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> new IllegalStateException(
                "configuration key '" + key + "' is missing: see application.properties"));
    }

    public int integer(String key) {
        return Integer.parseInt(required(key));
    }

    public double decimal(String key) {
        return Double.parseDouble(required(key));
    }

    public boolean bool(String key) {
        return Boolean.parseBoolean(required(key));
    }

    public Duration millis(String key) {
        return Duration.ofMillis(Long.parseLong(required(key)));
    }

    public List<String> list(String key) {
        return optional(key).map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /** The configured NetYpareo instances in order: position n is instance n. Their tokens are registered as secrets. */
    public List<NetypareoInstance> instances() {
        List<NetypareoInstance> out = new ArrayList<>();
        List<String> ids = list("netypareo.instances");
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            String prefix = "netypareo." + id + ".";
            String token = required(prefix + "token");
            Secrets.register(token);
            out.add(new NetypareoInstance(i, id, optional(prefix + "name").orElse(id), required(prefix + "base-url"),
                    token));
        }
        return out;
    }

    /** The path of a NetYpareo endpoint (relative to index.php/r/v1/), from its netypareo.path.* key. */
    public String path(String name) {
        return required("netypareo.path." + name);
    }
}
