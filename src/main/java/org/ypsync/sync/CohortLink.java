package org.ypsync.sync;

import java.util.Map;

/** A cohort ypsync manages: its idnumber, Moodle id and the fields last written (keys of DesiredCohort). */
public record CohortLink(String idnumber, long moodleId, Map<String, String> written) {
    public CohortLink {
        written = written == null ? Map.of() : Map.copyOf(written);
    }
}
