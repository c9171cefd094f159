package org.ypsync.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ypsync.store.CacheKind;

/**
 * A partial NetYpareo answer must never look like thousands of leavers: when an endpoint that gave records last
 * time now gives none, or fewer than {@code minRatio} of them, the instance's cache is not touched.
 */
public final class CacheGuard {
    private CacheGuard() {
    }

    public static Optional<String> check(Map<CacheKind, Integer> now, Map<CacheKind, Integer> lastAccepted,
                                         Set<CacheKind> kinds, double minRatio) {
        List<String> drops = new ArrayList<>();
        for (CacheKind kind : kinds) {
            int before = lastAccepted.getOrDefault(kind, 0);
            int current = now.getOrDefault(kind, 0);
            if (before > 0 && (current == 0 || current < minRatio * before)) {
                drops.add(kind.label() + " fell from " + before + " to " + current);
            }
        }
        return drops.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", drops)
                + " (below " + Math.round(minRatio * 100) + " % of the last run, sync.guard.min-ratio)");
    }
}
