package org.ypsync.sync;

import java.util.Optional;

/**
 * Safety limits against mass writes after a partial source failure (e.g. NetYpareo answering with half its
 * students). Each returns the reason the operator reads when it trips; the glue then holds back the guarded actions
 * unless --force.
 */
public final class Guards {
    public static final double DEFAULT_MAX_REMOVAL_SHARE = 0.5;
    public static final int DEFAULT_MIN_COHORT_SIZE = 10;

    private Guards() {
    }

    /**
     * Trips when planned &gt; max(1, floor(maxShare x managedPopulation)): one suspension is always allowed (a
     * population of 5 with 1 leaver passes), otherwise at most maxShare of the managed accounts.
     */
    public static Optional<String> suspensions(int planned, int managedPopulation, double maxShare) {
        checkArgs(planned, managedPopulation, maxShare);
        return beyondLimit(planned, managedPopulation, maxShare, String.format(
                "Suspension guard: %d of %d managed accounts would be suspended", planned, managedPopulation),
                "suspensions");
    }

    /**
     * Per cohort: cohorts with fewer than minSize current members are not guarded (small groups churn); otherwise
     * trips when removals &gt; max(1, floor(maxShare x currentSize)).
     */
    public static Optional<String> removals(String cohortIdnumber, int removals, int currentSize, double maxShare,
            int minSize) {
        checkArgs(removals, currentSize, maxShare);
        if (removals == 0 || currentSize < minSize) {
            return Optional.empty();
        }
        return beyondLimit(removals, currentSize, maxShare, String.format(
                "Removal guard: cohort [%s] would lose %d of its %d members%s", cohortIdnumber, removals, currentSize,
                removals >= currentSize ? " (all of them)" : ""), "removals");
    }

    /**
     * Per course: courses with fewer than minSize active enrolments ypsync made are not guarded; otherwise trips
     * when suspensions &gt; max(1, floor(maxShare x active)).
     */
    public static Optional<String> courseSuspensions(String courseIdnumber, int suspensions, int active,
            double maxShare, int minSize) {
        checkArgs(suspensions, active, maxShare);
        if (suspensions == 0 || active < minSize) {
            return Optional.empty();
        }
        return beyondLimit(suspensions, active, maxShare, String.format(
                "Suspension guard: course [%s] would suspend %d of its %d active enrolments%s", courseIdnumber,
                suspensions, active, suspensions >= active ? " (all of them)" : ""), "enrolments");
    }

    /**
     * Empty while {@code count} stays within max(1, floor(maxShare x population)), otherwise the reason: what would
     * happen ({@code what}), the limit, and that the {@code heldBack} actions wait.
     */
    private static Optional<String> beyondLimit(int count, int population, double maxShare, String what,
            String heldBack) {
        int allowed = allowed(population, maxShare);
        if (count <= allowed) {
            return Optional.empty();
        }
        return Optional.of(String.format("%s, more than the limit of %d (max(1, %s x %d)); %s held back, check the "
                + "NetYpareo data or run with --force", what, allowed, share(maxShare), population, heldBack));
    }

    /**
     * Trips when NetYpareo gave no record at all for a population ypsync already manages (like auth_ldap, which
     * aborts on 0 users): an empty answer is far more likely an outage or a filter mistake than everyone leaving.
     * The glue should then skip the stage's suspensions and membership removals (small cohorts are not covered by
     * the per-cohort removal guard).
     */
    public static Optional<String> emptySource(String population, int desiredRecords, int managedPopulation) {
        if (desiredRecords < 0 || managedPopulation < 0) {
            throw new IllegalArgumentException("negative guard argument");
        }
        if (desiredRecords > 0 || managedPopulation == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format("Empty source guard: NetYpareo returned no %s while ypsync manages %d;"
                + " suspensions and removals held back, check NetYpareo or run with --force", population,
                managedPopulation));
    }

    static int allowed(int population, double maxShare) {
        return Math.max(1, (int) Math.floor(maxShare * population + 1e-9));
    }

    private static void checkArgs(int planned, int population, double maxShare) {
        if (planned < 0 || population < 0 || !(maxShare >= 0)) {
            throw new IllegalArgumentException("negative guard argument");
        }
    }

    private static String share(double s) {
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
    }
}
