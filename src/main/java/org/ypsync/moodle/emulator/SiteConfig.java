package org.ypsync.moodle.emulator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Settings of the emulated site. Mutated only under the site lock (or before start). */
final class SiteConfig implements Param.Site {
    String siteName = "Moodle Peer";
    String release = "4.4.3+ (Build: 20240903)";
    String version = "2024042203.01";
    boolean allowAccountsSameEmail;
    boolean passwordPolicy = true;
    boolean debug;
    /** A site whose plugin or event observer lower-cases every e-mail it stores (not stock Moodle). */
    boolean lowerCaseEmails;
    volatile int maxInputVars = 5000;
    final Clock clock = Clock.systemUTC();
    /** Installed auth plugins and whether each is "internal" (stores a password: needs password or createpassword). */
    final Map<String, Boolean> auths = new LinkedHashMap<>();
    final Set<String> languages = new LinkedHashSet<>(List.of("en"));
    final Set<String> themes = new LinkedHashSet<>(List.of("boost", "classic"));
    /** User profile fields that exist: shortname to display name. */
    final Map<String, String> profileFields = new LinkedHashMap<>();
    /** Cohort custom fields that exist (4.2+): shortname to display name. */
    final Map<String, String> cohortFields = new LinkedHashMap<>();
    /** The functions of the token's external service, in the order site info lists them. */
    final List<String> serviceFunctions = new ArrayList<>();

    SiteConfig() {
        // Standard 4.4 auth plugins; is_internal() as each plugin answers it with default settings.
        for (String a : List.of("manual", "nologin", "email", "none", "webservice")) {
            auths.put(a, true);
        }
        for (String a : List.of("cas", "db", "ldap", "lti", "mnet", "oauth2", "shibboleth")) {
            auths.put(a, false);
        }
    }

    /** The e-mail as this site stores it. */
    String storedEmail(String email) {
        return lowerCaseEmails && email != null ? email.toLowerCase(java.util.Locale.ROOT) : email;
    }

    long now() {
        return clock.millis() / 1000;
    }

    @Override
    public Set<String> languages() {
        return languages;
    }

    @Override
    public Set<String> authPlugins() {
        return auths.keySet();
    }

    @Override
    public Set<String> themes() {
        return themes;
    }
}
