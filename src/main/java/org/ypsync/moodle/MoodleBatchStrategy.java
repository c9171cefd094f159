package org.ypsync.moodle;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups records (exchange bodies, e.g. {@code Map<String,Object>} users) into a {@code List} that fits one Moodle
 * call of one write function: the group's form fields ({@link FormEncoder#countFields}: the 4 call fields plus
 * every leaf of every record) stay within {@code maxInputVars - margin}, and the group holds at most the
 * function's record cap ({@link MoodleSettings#maxRecordsPerBatch(String)}): the {@link BatchLimit} the client
 * cuts to as well. One strategy per function: each batching route of {@code routes/moodle.camel.yaml} names its
 * own ({@code moodleCreateUsersBatches}, {@code moodleAddCohortMembersBatches}, ...).
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
 *           aggregationStrategy: moodleCreateUsersBatches
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

    private final BatchLimit limit;

    public MoodleBatchStrategy(BatchLimit limit) {
        this.limit = limit;
    }

    public MoodleBatchStrategy(int fieldBudget, int maxRecords) {
        this(new BatchLimit(fieldBudget, maxRecords));
    }

    /** Batches of one write function: its own record cap, or the default one. */
    public MoodleBatchStrategy(MoodleSettings settings, String function) {
        this(BatchLimit.of(settings, function));
    }

    /** Batches at the default record cap ({@code moodle.max-records-per-batch}). */
    public MoodleBatchStrategy(MoodleSettings settings) {
        this(new BatchLimit(settings.fieldBudget(), settings.maxRecordsPerBatch()));
    }

    public int fieldBudget() {
        return limit.fieldBudget();
    }

    public int maxRecords() {
        return limit.maxRecords();
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
        return limit.full(size, fields, next);
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
