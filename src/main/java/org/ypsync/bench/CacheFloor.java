package org.ypsync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The least time the emulated NetYpareo's latency imposes on the cache stage: the fewest calls it must make (one per
 * path of each instance it read: each account endpoint, the group lists, one members call per group; retries and
 * repeated calls are not needed), each costing the per-call latency plus the per-KB latency of its answer, spread
 * over {@code concurrency} calls in flight per instance (longest first), the instances read side by side. An
 * instance cannot be faster than its dependency chain either: a group's members are asked once its group list has
 * answered (the diploma groups after the periods). The floor is the slowest instance's.
 */
public record CacheFloor(double callLatencyMs, double kbLatencyMs, int concurrency) {
    static final String MEMBERS = "groupes/{group}/apprenants";
    static final String FC_GROUPS = "formation-courte/{from}/{to}/groupes";
    private static final Pattern MEMBERS_PATH = Pattern.compile("groupes/[^/]+/apprenants");
    private static final Pattern FC_PATH = Pattern.compile("formation-courte/[^/]+/[^/]+/groupes");

    public CacheFloor {
        if (concurrency < 1 || callLatencyMs < 0 || kbLatencyMs < 0) {
            throw new IllegalArgumentException("invalid cache floor settings");
        }
    }

    /** What the emulator served on one path of one instance (query excluded): answers and body bytes. */
    public record Served(String instance, String path, long calls, long bytes) {
    }

    /** One endpoint over every instance: calls made, the fewest needed, bytes, and their latency one after another. */
    public record Endpoint(String name, long calls, long fewest, long bytes, double serialMs) {
    }

    /** The endpoint a path belongs to: the member calls of every group are one endpoint, so are the FC windows. */
    static String endpoint(String path) {
        if (MEMBERS_PATH.matcher(path).matches()) {
            return MEMBERS;
        }
        return FC_PATH.matcher(path).matches() ? FC_GROUPS : path;
    }

    /** One needed call to this path: its latency, for the average answer served on it. */
    double callMs(Served s) {
        double kb = s.calls() == 0 ? 0 : (double) s.bytes() / s.calls() / 1024;
        return callLatencyMs + kbLatencyMs * kb;
    }

    /** The cache stage's floor in milliseconds. */
    public double millis(List<Served> served) {
        Map<String, List<Served>> byInstance = new TreeMap<>();
        for (Served s : served) {
            if (s.calls() > 0) {
                byInstance.computeIfAbsent(s.instance(), k -> new ArrayList<>()).add(s);
            }
        }
        double floor = 0;
        for (List<Served> paths : byInstance.values()) {
            floor = Math.max(floor, instanceMillis(paths));
        }
        return floor;
    }

    private double instanceMillis(List<Served> paths) {
        List<Double> costs = new ArrayList<>();
        double periods = 0;
        double diplomaGroups = 0;
        double fcGroups = 0;
        double shortestMembers = Double.MAX_VALUE;
        for (Served s : paths) {
            double c = callMs(s);
            costs.add(c);
            switch (endpoint(s.path())) {
                case "periodes" -> periods = c;
                case "formation-longue/groupes" -> diplomaGroups = c;
                case FC_GROUPS -> fcGroups = Math.max(fcGroups, c);
                case MEMBERS -> shortestMembers = Math.min(shortestMembers, c);
                default -> {
                    // independent account endpoints
                }
            }
        }
        double chain = Math.max(periods + diplomaGroups, fcGroups)
                + (shortestMembers == Double.MAX_VALUE ? 0 : shortestMembers);
        return Math.max(chain, Floor.makespan(costs, concurrency));
    }

    /** Per endpoint (all instances): what was served, the fewest calls needed and their latency end to end. */
    public List<Endpoint> endpoints(List<Served> served) {
        Map<String, Endpoint> m = new TreeMap<>();
        for (Served s : served) {
            if (s.calls() == 0) {
                continue;
            }
            Endpoint e = new Endpoint(endpoint(s.path()), s.calls(), 1, s.bytes(), callMs(s));
            m.merge(e.name(), e, (a, b) -> new Endpoint(a.name(), a.calls() + b.calls(), a.fewest() + b.fewest(),
                    a.bytes() + b.bytes(), a.serialMs() + b.serialMs()));
        }
        return List.copyOf(m.values());
    }
}
