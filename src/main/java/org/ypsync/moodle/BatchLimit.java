package org.ypsync.moodle;

/**
 * How much one call of a Moodle write function may carry: at most {@code fieldBudget} form fields (the
 * {@link FormEncoder#FIXED_FIELDS} call fields included; {@code moodle.max-input-vars} minus
 * {@code moodle.input-vars-margin}, since PHP silently drops the fields past {@code max_input_vars}) and at most
 * {@code maxRecords} records (the function's cap, {@link MoodleSettings#maxRecordsPerBatch(String)}).
 *
 * <p>The one rule both cuts apply: the batching routes' {@link MoodleBatchStrategy} and the client's own cut before
 * it sends ({@code MoodleClient}), so a batch the route formed is never cut again, and whatever reaches the client
 * is cut to the same limit. How many records fit follows from the records themselves: narrow records (a cohort
 * member: 4 fields) go up to the cap, wide ones (a created user with password and custom fields) stop at the
 * field budget first.
 */
public record BatchLimit(int fieldBudget, int maxRecords) {

    public BatchLimit {
        if (fieldBudget <= FormEncoder.FIXED_FIELDS || maxRecords < 1) {
            throw new IllegalArgumentException("fieldBudget " + fieldBudget + ", maxRecords " + maxRecords);
        }
    }

    /** The limit of one write function on this site. */
    public static BatchLimit of(MoodleSettings settings, String function) {
        return new BatchLimit(settings.fieldBudget(), settings.maxRecordsPerBatch(function));
    }

    /**
     * Whether a batch of {@code records} records using {@code fields} form fields (call fields included) must be
     * sent before a next record of {@code nextLeaves} fields joins it. An empty batch always takes the record, so a
     * record that alone exceeds the budget travels alone (and the client fails it with {@code toomanyfields}).
     */
    public boolean full(int records, int fields, int nextLeaves) {
        return records > 0 && (records >= maxRecords || fields + nextLeaves > fieldBudget);
    }
}
