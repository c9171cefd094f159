package org.ypsync.stage;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ypsync.moodle.BatchResult;

/**
 * The Moodle writes of one stage run, each record with what to do with its outcome. The stage routes split these
 * records into the Moodle batch routes; when a batch comes back, each outcome reaches its record's handler.
 */
public final class MoodleWrites {
    public static final String PROPERTY = "ypsyncMoodleWrites";

    private final Map<Map<String, Object>, Consumer<BatchResult.Outcome>> handlers =
            Collections.synchronizedMap(new IdentityHashMap<>());
    private volatile String stopped;
    private volatile String problem;

    /** Registers a record to send and returns it (the same instance travels to the batch). */
    public Map<String, Object> add(Map<String, Object> record, Consumer<BatchResult.Outcome> handler) {
        handlers.put(record, handler);
        return record;
    }

    /**
     * The records of {@code items}, built by {@code toRecord} and registered with their handler only when the list
     * is read (the stage's split reads each once, as it sends it): a run never holds the records of a whole
     * population at once, only those on their way to Moodle.
     */
    public <T> List<Map<String, Object>> addAll(List<T> items, java.util.function.Function<T, Map<String, Object>> toRecord,
                                                java.util.function.BiConsumer<T, BatchResult.Outcome> handler) {
        return new java.util.AbstractList<>() {
            @Override
            public Map<String, Object> get(int index) {
                T item = items.get(index);
                return MoodleWrites.this.add(new LinkedHashMap<>(toRecord.apply(item)), o -> handler.accept(item, o));
            }

            @Override
            public int size() {
                return items.size();
            }
        };
    }

    /** Hands each outcome of a batch to its record's handler. */
    public void handle(List<Map<String, Object>> batch, BatchResult result) {
        for (int i = 0; i < batch.size(); i++) {
            Consumer<BatchResult.Outcome> h = handlers.remove(batch.get(i));
            if (h != null) {
                h.accept(result.get(i));
            }
        }
    }

    /** Moodle refused the run as a whole (bad token, service off): no more writes this run. */
    public void stop(String reason) {
        stopWith(reason, "Moodle refused the run: " + reason);
    }

    /**
     * ypsync itself failed on a batch (the store failing while it records what Moodle did): no more writes this
     * run, {@code problem} is the run's reason.
     */
    public void abort(String problem) {
        stopWith(problem, problem);
    }

    private synchronized void stopWith(String reason, String problem) {
        if (stopped == null) {
            stopped = reason;
            this.problem = problem;
        }
    }

    public boolean isStopped() {
        return stopped != null;
    }

    public String stoppedReason() {
        return stopped;
    }

    /** Why the writes of the run stopped, as the stage run's problem; null when they did not. */
    public String problem() {
        return problem;
    }
}
