package org.ypsync.moodle.emulator;

/**
 * A snapshot of one emulated cohort. {@code categoryId} is null for a system cohort, else the course category whose
 * context holds it; {@code contextId} is the Moodle context id.
 */
public record MoodleCohort(long id, String idnumber, String name, String description, boolean visible, long contextId,
                           Long categoryId) {
    public MoodleCohort withName(String v) {
        return new MoodleCohort(id, idnumber, v, description, visible, contextId, categoryId);
    }

    public MoodleCohort withIdnumber(String v) {
        return new MoodleCohort(id, v, name, description, visible, contextId, categoryId);
    }

    public MoodleCohort withDescription(String v) {
        return new MoodleCohort(id, idnumber, name, v, visible, contextId, categoryId);
    }

    public MoodleCohort withVisible(boolean v) {
        return new MoodleCohort(id, idnumber, name, description, v, contextId, categoryId);
    }
}
