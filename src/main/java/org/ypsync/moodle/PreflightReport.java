package org.ypsync.moodle;

import java.util.Set;

/**
 * What the pre-flight check found. Never holds the token.
 *
 * @param ok               site reachable, token accepted and every required function in the token's service
 * @param siteName         site name, null when site info failed
 * @param release          Moodle release string (e.g. "4.4.3+ (Build: 20240903)"), null when site info failed
 * @param version          Moodle version number, null when site info failed
 * @param username         the web-service user, null when site info failed
 * @param missingFunctions required functions not in the token's service (empty when site info failed)
 * @param errorcode        errorcode of the failure (e.g. invalidtoken, http503), null on success
 * @param message          message of the failure, null on success
 */
public record PreflightReport(boolean ok, String siteName, String release, String version, String username,
                              Set<String> missingFunctions, String errorcode, String message) {
    public PreflightReport {
        missingFunctions = Set.copyOf(missingFunctions);
    }
}
