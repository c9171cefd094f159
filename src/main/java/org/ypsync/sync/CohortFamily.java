package org.ypsync.sync;

/** The cohort families ypsync manages; label() is how log lines name them. */
public enum CohortFamily {
    SITE("Site cohort", "Site cohorts"),
    DIPLOMA_GROUP("Group cohort", "Group cohorts"),
    FC_GROUP("FC group cohort", "FC group cohorts");

    private final String label;
    private final String plural;

    CohortFamily(String label, String plural) {
        this.label = label;
        this.plural = plural;
    }

    public String label() {
        return label;
    }

    public String plural() {
        return plural;
    }
}
