package org.ypsync.sync;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A cohort as NetYpareo wants it (site, diploma group or FC group). A null description means "". */
public record DesiredCohort(String idnumber, String name, String description, CohortFamily family) {
    public static final String IDNUMBER = "idnumber";
    public static final String NAME = "name";
    public static final String DESCRIPTION = "description";

    public DesiredCohort {
        Objects.requireNonNull(family, "family");
        idnumber = idnumber == null ? "" : idnumber.trim();
        name = name == null ? "" : name.trim();
        description = description == null ? "" : description;
    }

    /** The full record core_cohort_update_cohorts needs (it is not a patch), also what the link stores. */
    public Map<String, String> written() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(IDNUMBER, idnumber);
        m.put(NAME, name);
        m.put(DESCRIPTION, description);
        return m;
    }
}
