package org.ypsync.stage;

import java.util.ArrayList;
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

    /** Registers a record to send and returns it (the same instance travels to the batch). */
    public Map<String, Object> add(Map<String, Object> record, Consumer<BatchResult.Outcome> handler) {
        handlers.put(record, handler);
        return record;
    }

    /** Registers a list of records built by {@code toRecord}, each with its handler. */
    public <T> List<Map<String, Object>> addAll(List<T> items, java.util.function.Function<T, Map<String, Object>> toRecord,
                                                java.util.function.BiConsumer<T, BatchResult.Outcome> handler) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (T item : items) {
            out.add(add(new LinkedHashMap<>(toRecord.apply(item)), o -> handler.accept(item, o)));
        }
        return out;
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
        if (stopped == null) {
            stopped = reason;
        }
    }

    public boolean isStopped() {
        return stopped != null;
    }

    public String stoppedReason() {
        return stopped;
    }
}
