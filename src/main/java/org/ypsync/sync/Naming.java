package org.ypsync.sync;

import java.util.Optional;

/**
 * Default Moodle idnumbers for NetYpareo objects. Instance 0 has no prefix, instance n &gt; 0 has "n_", so two
 * NetYpareo instances never collide in one Moodle.
 */
public final class Naming {
    public static final String SITE = "SITE_";
    public static final String DIPLOMA_GROUP = "GRP_";
    public static final String FC_GROUP = "FC_";
    public static final String COURSE = "CRS_";
    public static final String SITE_CATEGORY = "CAT_SITE_";
    public static final String TRAINING_CATEGORY = "CAT_FRM_";

    private Naming() {
    }

    public static String prefix(int instanceIndex) {
        if (instanceIndex < 0) {
            throw new IllegalArgumentException("instance index must be >= 0, got " + instanceIndex);
        }
        return instanceIndex == 0 ? "" : instanceIndex + "_";
    }

    public static String siteCohortIdnumber(int instanceIndex, String abregeSite) {
        return prefix(instanceIndex) + SITE + requireText(abregeSite, "abregeSite");
    }

    public static String diplomaGroupIdnumber(int instanceIndex, String codeGroupe) {
        return prefix(instanceIndex) + DIPLOMA_GROUP + requireText(codeGroupe, "codeGroupe");
    }

    public static String fcGroupIdnumber(int instanceIndex, String codeGroupe) {
        return prefix(instanceIndex) + FC_GROUP + requireText(codeGroupe, "codeGroupe");
    }

    public static String courseIdnumber(int instanceIndex, String codeGroupe) {
        return prefix(instanceIndex) + COURSE + requireText(codeGroupe, "codeGroupe");
    }

    /** The course category of a site (sync.courses.category-by=site). */
    public static String siteCategoryIdnumber(int instanceIndex, String abregeSite) {
        return prefix(instanceIndex) + SITE_CATEGORY + requireText(abregeSite, "abregeSite");
    }

    /** The course category of a training (sync.courses.category-by=diploma). */
    public static String trainingCategoryIdnumber(int instanceIndex, String codeFormation) {
        return prefix(instanceIndex) + TRAINING_CATEGORY + requireText(codeFormation, "codeFormation");
    }

    public static String userIdnumber(int instanceIndex, String netypareoId) {
        return prefix(instanceIndex) + requireText(netypareoId, "netypareoId");
    }

    /** The family a default-named cohort idnumber belongs to (for cohorts known only by their link). */
    public static Optional<CohortFamily> familyOf(String cohortIdnumber) {
        if (cohortIdnumber == null) {
            return Optional.empty();
        }
        String s = cohortIdnumber.replaceFirst("^[0-9]+_", "");
        if (s.startsWith(SITE)) {
            return Optional.of(CohortFamily.SITE);
        }
        if (s.startsWith(DIPLOMA_GROUP)) {
            return Optional.of(CohortFamily.DIPLOMA_GROUP);
        }
        if (s.startsWith(FC_GROUP)) {
            return Optional.of(CohortFamily.FC_GROUP);
        }
        return Optional.empty();
    }

    private static String requireText(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return v.trim();
    }
}
