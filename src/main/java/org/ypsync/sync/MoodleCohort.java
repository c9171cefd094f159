package org.ypsync.sync;

import java.util.LinkedHashMap;
import java.util.Map;

/** A cohort as read from Moodle (core_cohort_get_cohorts). */
public record MoodleCohort(long id, String idnumber, String name, String description) {
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(DesiredCohort.IDNUMBER, idnumber);
        m.put(DesiredCohort.NAME, name);
        m.put(DesiredCohort.DESCRIPTION, description == null ? "" : description);
        return m;
    }
}
