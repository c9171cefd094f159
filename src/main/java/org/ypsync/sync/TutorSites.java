package org.ypsync.sync;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** NetYpareo tutors have no site: a tutor's site cohorts are those of the students it tutors. */
public final class TutorSites {
    private TutorSites() {
    }

    /** Sorted site cohort idnumbers of the tutored students; unknown students are ignored. */
    public static Set<String> siteCohorts(Collection<String> tutoredStudentIds, Map<String, String> studentSiteCohort) {
        Set<String> out = new TreeSet<>();
        if (tutoredStudentIds == null) {
            return out;
        }
        for (String id : tutoredStudentIds) {
            String c = id == null ? null : studentSiteCohort.get(id.trim());
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }
}
