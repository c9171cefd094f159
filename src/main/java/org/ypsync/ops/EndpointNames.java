package org.ypsync.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.ypsync.netypareo.NetypareoEndpoint;

/**
 * Names a NetYpareo path by the endpoint it was made from ("students", "group-members"), for metric labels: the
 * paths themselves carry group codes and dates, which would make one time series per group.
 */
public final class EndpointNames {
    private final Map<String, Pattern> patterns = new LinkedHashMap<>();

    /** @param templates endpoint name -> path template (the netypareo.path.* values) */
    public EndpointNames(Map<String, String> templates) {
        templates.forEach((name, template) -> patterns.put(name, NetypareoEndpoint.pattern(template, "[^/?&]*")));
    }

    /** The endpoint's name, or "other". */
    public String name(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        for (Map.Entry<String, Pattern> e : patterns.entrySet()) {
            if (e.getValue().matcher(p).matches()) {
                return e.getKey();
            }
        }
        return "other";
    }
}
