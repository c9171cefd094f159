package org.ypsync.moodle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.TreeSet;

/** Checks, before a sync, that the site answers, the token works and its service has every function needed. */
public final class MoodlePreflight {

    private static final Logger LOG = LoggerFactory.getLogger(MoodlePreflight.class);

    private MoodlePreflight() {
    }

    /** One site-info call; failures are reported, not thrown (a fatal one still stops the client). */
    public static PreflightReport check(MoodleClient client, Set<String> requiredFunctions) {
        SiteInfo info;
        try {
            info = client.siteInfo();
        } catch (MoodleException e) {
            LOG.warn("Moodle pre-flight failed: {} ({})", e.errorcode(), e.moodleMessage());
            return new PreflightReport(false, null, null, null, null, Set.of(), e.errorcode(), e.moodleMessage());
        }
        Set<String> missing = new TreeSet<>(requiredFunctions);
        missing.removeAll(info.functions());
        boolean ok = missing.isEmpty();
        if (ok) {
            LOG.info("Moodle pre-flight ok: '{}' release {} as {}", info.sitename(), info.release(), info.username());
        } else {
            LOG.warn("Moodle pre-flight: '{}' release {}: functions missing from the token's service: {}",
                    info.sitename(), info.release(), missing);
        }
        return new PreflightReport(ok, info.sitename(), info.release(), info.version(), info.username(), missing,
                ok ? null : "missingfunctions", ok ? null : "functions not in the service: " + missing);
    }
}
