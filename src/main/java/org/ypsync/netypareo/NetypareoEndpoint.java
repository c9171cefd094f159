package org.ypsync.netypareo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NetYpareo resources ypsync reads, with their default path templates (relative to
 * {@code <base-url>index.php/r/v1/}) and the configuration key that overrides each template.
 * Placeholders are {@code {name}}; see {@link #resolve(String, Map)}.
 */
public enum NetypareoEndpoint {
    SITES("sites", "netypareo.path.sites"),
    PERIODS("periodes", "netypareo.path.periods"),
    STUDENTS("utilisateur/apprenants", "netypareo.path.students"),
    STAFF("utilisateur/personnels", "netypareo.path.staff"),
    TUTORS("utilisateur/tuteurs", "netypareo.path.tutors"),
    DIPLOMA_GROUPS("formation-longue/groupes?codesPeriode={period}", "netypareo.path.diploma-groups"),
    FC_GROUPS("formation-courte/{from}/{to}/groupes", "netypareo.path.fc-groups"),
    GROUP_MEMBERS("groupes/{group}/apprenants", "netypareo.path.group-members"),
    GROUP_TRAINERS("groupes-personnels/from-planning?codesPeriode={period}", "netypareo.path.group-trainers");

    /** Dates in NetYpareo URL paths are DD-MM-YYYY (payload dates are DD/MM/YYYY). */
    public static final DateTimeFormatter PATH_DATE = DateTimeFormatter.ofPattern("dd-MM-uuuu");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_-]*)}");

    private final String defaultTemplate;
    private final String configKey;

    NetypareoEndpoint(String defaultTemplate, String configKey) {
        this.defaultTemplate = defaultTemplate;
        this.configKey = configKey;
    }

    public String defaultTemplate() {
        return defaultTemplate;
    }

    public String configKey() {
        return configKey;
    }

    /** The default template resolved with {@code vars}. */
    public String path(Map<String, String> vars) {
        return resolve(defaultTemplate, vars);
    }

    /**
     * Replaces each {@code {name}} in {@code template} by the URL-encoded value of {@code vars.get(name)}.
     *
     * @throws IllegalArgumentException if a placeholder has no value
     */
    public static String resolve(String template, Map<String, String> vars) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = vars.get(name);
            if (value == null) {
                throw new IllegalArgumentException("NetYpareo path '" + template + "' needs a value for {" + name + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(encode(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Formats a date for a URL path: DD-MM-YYYY. */
    public static String pathDate(LocalDate date) {
        return PATH_DATE.format(date);
    }

    /** The variables of {@link #FC_GROUPS} for a window. */
    public static Map<String, String> window(LocalDate from, LocalDate to) {
        return Map.of("from", pathDate(from), "to", pathDate(to));
    }

    /** The endpoint whose default template matches a resolved path, if any (used to name the config key in errors). */
    public static Optional<NetypareoEndpoint> matching(String path) {
        for (NetypareoEndpoint e : values()) {
            if (e.pattern().matcher(path).matches()) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private Pattern pattern() {
        return pattern(defaultTemplate, "[^/?&]+");
    }

    /** A pattern of the paths made from {@code template}: each placeholder stands for a match of {@code value}. */
    public static Pattern pattern(String template, String value) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append(value);
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }

    private static String encode(String value) {
        // URLEncoder is form encoding: a space becomes '+', which a path segment reads literally
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
