package org.ypsync.bench;

import org.ypsync.netypareo.emulator.DataSetSize;

/**
 * The benchmark's data sets, split evenly over the two emulated NetYpareo instances. L is the CFA network of the
 * issue (20,000 students, 1,500 trainers, 8,000 tutors, 1,200 diploma groups, 400 FC groups: 29,500 people); S, M
 * and XL keep L's proportions for 1,000, 10,000 and 100,000 people. The generator adds, per instance, a fifth of
 * the trainers as administrative staff and a tenth as unused accounts (not synced), and makes a few percent of the
 * students inactive or leavers (not created), as in real CFA data.
 */
public enum BenchSize {
    S(1_000), M(10_000), L(29_500), XL(100_000);

    static final int L_STUDENTS = 20_000;
    static final int L_TRAINERS = 1_500;
    static final int L_TUTORS = 8_000;
    static final int L_DIPLOMA_GROUPS = 1_200;
    static final int L_FC_GROUPS = 400;
    static final int L_PEOPLE = L_STUDENTS + L_TRAINERS + L_TUTORS;
    static final int INSTANCES = 2;

    private final int people;

    BenchSize(int people) {
        this.people = people;
    }

    /** Students, trainers and tutors over both instances. */
    public int people() {
        return people;
    }

    /** The data set of each of the two instances. */
    public DataSetSize perInstance() {
        int students = share(L_STUDENTS);
        return new DataSetSize(Math.max(3, students / 4000 + 1), students, share(L_TRAINERS), share(L_TUTORS),
                Math.max(1, share(L_DIPLOMA_GROUPS)), Math.max(1, share(L_FC_GROUPS)));
    }

    private int share(int lCount) {
        return (int) Math.round((double) lCount * people / L_PEOPLE / INSTANCES);
    }

    public static BenchSize parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
