package org.ypsync.moodle.emulator;

import java.util.Map;

/**
 * A snapshot of one emulated cohort. {@code categoryId} is null for a system cohort, else the course category whose
 * context holds it; {@code contextId} is the Moodle context id; {@code customfields} holds the values of cohort
 * custom fields that exist on the site.
 */
public record MoodleCohort(long id, String idnumber, String name, String description, boolean visible, long contextId,
                           Long categoryId, Map<String, String> customfields) {
    public MoodleCohort {
        customfields = Map.copyOf(customfields);
    }

    public MoodleCohort withName(String v) {
        return new MoodleCohort(id, idnumber, v, description, visible, contextId, categoryId, customfields);
    }

    public MoodleCohort withIdnumber(String v) {
        return new MoodleCohort(id, v, name, description, visible, contextId, categoryId, customfields);
    }
}
