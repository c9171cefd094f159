package org.ypsync.moodle;

import java.util.Set;

/**
 * What {@code core_webservice_get_site_info} says about the site and the token's service.
 *
 * @param functions the functions of the token's service (the only ones the token may call)
 */
public record SiteInfo(String sitename, String release, String version, String username, Set<String> functions) {
    public SiteInfo {
        functions = Set.copyOf(functions);
    }
}
