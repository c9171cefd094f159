package org.ypsync.moodle;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one typed batch operation: one {@link Outcome} per input record, in input order, plus the number
 * of HTTP calls the batch cost (bisection, retries and recovery look-ups included).
 */
public final class BatchResult {

    /** Who decided a failure. */
    public enum Origin {
        /** the client's pre-validation: the record never cost a call */
        CLIENT,
        /** Moodle refused the record (its errorcode or warningcode) */
        MOODLE,
        /** transient failures outlasted the retries: the record may be sent again later */
        TRANSIENT
    }

    /**
     * One input record's fate.
     *
     * @param index     position in the input list
     * @param record    the input record
     * @param success   true when Moodle holds the record as asked
     * @param result    on success, Moodle's JSON for the record (e.g. {@code {"id":14,"username":"jdupont"}}), or
     *                  null when the function returns nothing per record
     * @param errorcode on failure, Moodle's errorcode / warningcode, or the client's code
     * @param reason    on failure, a human-readable reason (Moodle's message or the rule broken)
     * @param origin    on failure, who decided it
     */
    public record Outcome(int index, Map<String, Object> record, boolean success, JsonNode result, String errorcode,
                          String reason, Origin origin) {

        public static Outcome success(int index, Map<String, Object> record, JsonNode result) {
            return new Outcome(index, record, true, result, null, null, null);
        }

        public static Outcome failure(int index, Map<String, Object> record, String errorcode, String reason,
                                      Origin origin) {
            return new Outcome(index, record, false, null, Objects.requireNonNull(errorcode), reason,
                    Objects.requireNonNull(origin));
        }

        /** Worth sending again later (transient failure). */
        public boolean retryable() {
            return origin == Origin.TRANSIENT;
        }

        /** Records may hold passwords: never printed. */
        @Override
        public String toString() {
            return success ? "Outcome[" + index + " ok " + result + "]"
                    : "Outcome[" + index + " failed " + errorcode + " (" + origin + "): " + reason + "]";
        }
    }

    private final List<Outcome> outcomes;
    private final int calls;

    public BatchResult(List<Outcome> outcomes, int calls) {
        this.outcomes = List.copyOf(outcomes);
        this.calls = calls;
        for (int i = 0; i < this.outcomes.size(); i++) {
            if (this.outcomes.get(i).index() != i) {
                throw new IllegalArgumentException("outcome " + i + " has index " + this.outcomes.get(i).index());
            }
        }
    }

    public static BatchResult empty() {
        return new BatchResult(List.of(), 0);
    }

    /** All outcomes, in input order. */
    public List<Outcome> outcomes() {
        return outcomes;
    }

    public Outcome get(int index) {
        return outcomes.get(index);
    }

    public List<Outcome> successes() {
        return outcomes.stream().filter(Outcome::success).toList();
    }

    public List<Outcome> failures() {
        return outcomes.stream().filter(o -> !o.success()).toList();
    }

    public int size() {
        return outcomes.size();
    }

    public boolean allSucceeded() {
        return outcomes.stream().allMatch(Outcome::success);
    }

    /** HTTP calls this batch cost. */
    public int calls() {
        return calls;
    }

    @Override
    public String toString() {
        return "BatchResult[" + outcomes.size() + " records, " + successes().size() + " ok, " + failures().size()
                + " failed, " + calls + " calls]";
    }
}
