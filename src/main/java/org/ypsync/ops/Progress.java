package org.ypsync.ops;

import java.util.Locale;

/**
 * When a long stage says how far it got: each time the records done cross a tenth of the total (stages of 1,000
 * records or more), or, while the total is not known yet (NetYpareo answers still streaming in), each time they
 * cross a multiple of 1,000.
 */
public final class Progress {
    public static final int STEP_RECORDS = 1000;

    private Progress() {
    }

    /** Whether going from {@code before} to {@code after} records done deserves a progress line. */
    public static boolean due(long before, long after, long total) {
        if (after <= before) {
            return false;
        }
        if (total > 0) {
            if (total < STEP_RECORDS) {
                // a short stage needs no progress: its summary line comes at once
                return false;
            }
            // tenths crossed; the last one (100 %) is the summary's job
            long tenthBefore = before * 10 / total;
            long tenthAfter = Math.min(after, total) * 10 / total;
            return tenthAfter > tenthBefore && after < total;
        }
        return after / STEP_RECORDS > before / STEP_RECORDS;
    }

    /** The progress line, e.g. {@code users: 40 % (2,000 of 5,000 records)} or {@code cache: 3,000 records read}. */
    public static String line(String stage, long done, long total, String what) {
        if (total > 0) {
            return String.format(Locale.ROOT, "  %s: %d %% (%,d of %,d records %s)", stage, done * 100 / total, done,
                    total, what);
        }
        return String.format(Locale.ROOT, "  %s: %,d records %s", stage, done, what);
    }
}
