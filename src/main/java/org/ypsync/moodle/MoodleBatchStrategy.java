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
 * <p>Stateless (the running count lives on the aggregated exchange), hence safe for many correlation keys.
 * Copies {@code CamelSplitComplete} from the newest record onto the group, so a completion predicate
 * {@code ${exchangeProperty.CamelSplitComplete}} works without eager checking.
 */
public class MoodleBatchStrategy implements AggregationStrategy {

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
        Object splitComplete = newExchange.getProperty(Exchange.SPLIT_COMPLETE);
        if (splitComplete != null) {
            result.setProperty(Exchange.SPLIT_COMPLETE, splitComplete);
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> group(Exchange e) {
        return (List<Object>) e.getMessage().getBody(List.class);
    }
}
