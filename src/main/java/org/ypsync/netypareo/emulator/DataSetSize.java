package org.ypsync.netypareo.emulator;

/**
 * How much data {@link DataSetGenerator} makes for one instance. {@code trainers} counts trainers only; the
 * generator adds a few administrative and unused staff on top.
 */
public record DataSetSize(int sites, int students, int trainers, int tutors, int diplomaGroups, int fcGroups) {
    /** A few dozen records: the demo and most tests. */
    public static final DataSetSize DEMO = new DataSetSize(2, 30, 4, 6, 3, 3);
    /** A few hundred records. */
    public static final DataSetSize SMALL = new DataSetSize(3, 300, 20, 60, 12, 6);

    public DataSetSize {
        if (sites < 1 || students < 0 || trainers < 0 || tutors < 0 || diplomaGroups < 0 || fcGroups < 0) {
            throw new IllegalArgumentException("invalid data set size " + this);
        }
    }

    /**
     * A data set of {@code students} learners with CFA-like proportions: about 25 learners per diploma group, one
     * trainer per 20 learners, one tutor per 3 learners (apprentices), a site per 4,000 learners.
     */
    public static DataSetSize ofStudents(int students) {
        return new DataSetSize(Math.max(2, students / 4000), students, Math.max(2, students / 20),
                Math.max(1, students / 3), Math.max(1, students / 25), Math.max(2, students / 200));
    }
}
