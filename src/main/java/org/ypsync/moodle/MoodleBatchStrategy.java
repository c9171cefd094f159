package org.ypsync.moodle;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups records (exchange bodies, e.g. {@code Map<String,Object>} users) into a {@code List} that fits one Moodle
 * call: the group's form fields ({@link FormEncoder#countFields}: the 4 call fields plus every leaf of every
 * record) stay within {@code maxInputVars - margin}, and the group holds at most {@code maxRecords} records.
 *
 * <p>Pre-completion (Camel 4 folded {@code PreCompletionAwareAggregationStrategy} into
 * {@link AggregationStrategy#canPreComplete()}/{@link #preComplete}): when the next record would exceed either
 * bound, the current group completes first and the record starts a new group, so no group ever exceeds the
 * budget and nothing is dropped. A record that alone exceeds the budget travels alone (the client then fails
 * it with {@code toomanyfields}).
 *
 * <p><b>Completing the last group.</b> In Camel 4.18 a pre-completing strategy switches the aggregator's other
 * completion checks off: {@code completionPredicate} and {@code completionSize} are never evaluated (checked in
 * {@code AggregateProcessor.doAggregation}; only timeouts still run). So the route must mark the last record
 * of a split with the <b>header</b> {@value #COMPLETE_ALL_INCLUSIVE} (= {@code CamelSplitComplete}), which makes the
 * aggregator complete every group, this record included, right after aggregating it:
 * <pre>
 * - split:
 *     simple: "${body}"
 *     steps:
 *       - setHeader: { name: CamelAggregationCompleteAllGroupsInclusive, simple: "${exchangeProperty.CamelSplitComplete}" }
 *       - aggregate:
 *           correlationExpression: { constant: users }
 *           aggregationStrategy: "#moodleBatchStrategy"
 *           completionPredicate: { simple: "${exchangeProperty.CamelSplitComplete}" }  # required option, not evaluated
 *           executorService: moodleSyncExecutor   # bean: org.apache.camel.util.concurrent.SynchronousExecutorService
 *           steps: [ ... call the MoodleClient with the List ... ]
 * </pre>
 * Without the synchronous executor, Camel sends completed groups out on its own "Aggregator" thread: the split
 * then returns before the Moodle calls are made (and stopping the context interrupts them). With it, each batch
 * runs on the caller's thread, so the run ends when the last batch is written.
 * It must be a header (Camel reads this flag from the message, not from the properties) on the exchange that
 * enters the aggregator: the strategy only sees a copy, so it cannot set it itself.
 *
 * <p>Stateless (the running count lives on the aggregated exchange), hence safe for many correlation keys.
 */
public class MoodleBatchStrategy implements AggregationStrategy {

    /** Header the route sets on a split's last record so that the last group completes. */
    public static final String COMPLETE_ALL_INCLUSIVE = Exchange.AGGREGATION_COMPLETE_ALL_GROUPS_INCLUSIVE;

    /** Exchange property: form fields the group will use (call fields included). */
    public static final String FIELDS = "MoodleBatchFields";

    private final int fieldBudget;
    private final int maxRecords;

    public MoodleBatchStrategy(int fieldBudget, int maxRecords) {
        if (fieldBudget <= FormEncoder.FIXED_FIELDS || maxRecords < 1) {
            throw new IllegalArgumentException("fieldBudget " + fieldBudget + ", maxRecords " + maxRecords);
        }
        this.fieldBudget = fieldBudget;
        this.maxRecords = maxRecords;
    }

    public MoodleBatchStrategy(MoodleSettings settings) {
        this(settings.fieldBudget(), settings.maxRecordsPerBatch());
    }

    public int fieldBudget() {
        return fieldBudget;
    }

    public int maxRecords() {
        return maxRecords;
    }

    @Override
    public boolean canPreComplete() {
        return true;
    }

    @Override
    public boolean preComplete(Exchange oldExchange, Exchange newExchange) {
        if (oldExchange == null) {
            return false;
        }
        int size = group(oldExchange).size();
        int fields = oldExchange.getProperty(FIELDS, FormEncoder.FIXED_FIELDS, Integer.class);
        int next = FormEncoder.countLeaves(newExchange.getMessage().getBody());
        return size >= maxRecords || fields + next > fieldBudget;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Object record = newExchange.getMessage().getBody();
        int leaves = FormEncoder.countLeaves(record);
        Exchange result;
        List<Object> group;
        int fields;
        if (oldExchange == null) {
            result = newExchange;
            group = new ArrayList<>();
            fields = FormEncoder.FIXED_FIELDS;
        } else {
            result = oldExchange;
            group = group(oldExchange);
            fields = oldExchange.getProperty(FIELDS, FormEncoder.FIXED_FIELDS, Integer.class);
        }
        group.add(record);
        result.getMessage().setBody(group);
        result.setProperty(FIELDS, fields + leaves);
        return result;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> group(Exchange e) {
        return (List<Object>) e.getMessage().getBody(List.class);
    }
}
