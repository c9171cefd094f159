package org.ypsync.sync;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A course name template (sync.courses.shortname, sync.courses.fullname, sync.courses.category-name): text with
 * placeholders in braces, each one of {@link #FIELDS}, e.g. {@code {prefix}{abregeGroupe}-{codeGroupe}}.
 */
public final class CourseTemplate {
    /** The group's fields a template may name; {prefix} is "" for instance 0, "n_" for instance n. */
    public static final List<String> FIELDS = List.of("prefix", "codeGroupe", "nomGroupe", "abregeGroupe",
            "codeSite", "nomSite", "abregeSite", "codePeriode", "codeFormation");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final Set<String> KNOWN = Set.copyOf(FIELDS);

    private final String key;
    private final String text;

    /** {@code key}: the configuration key, for the message when a placeholder is unknown. */
    public CourseTemplate(String key, String text) {
        this.key = key;
        this.text = text == null ? "" : text;
        Matcher m = PLACEHOLDER.matcher(this.text);
        while (m.find()) {
            if (!KNOWN.contains(m.group(1))) {
                throw new IllegalArgumentException(key + ": unknown placeholder {" + m.group(1) + "}; known: "
                        + FIELDS);
            }
        }
    }

    /** The text with each placeholder replaced by the field's value ("" when the group has none), trimmed. */
    public String apply(Map<String, String> fields) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = fields.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v.strip()));
        }
        m.appendTail(sb);
        return sb.toString().strip();
    }

    @Override
    public String toString() {
        return key + "=" + text;
    }
}
