package org.ypsync.moodle;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The batch runner: records pre-validated, cut into batches under the function's limit (form-field budget and
 * record cap), each batch sent all-or-nothing; a record-level refusal is bisected down to the bad records, and a
 * create that may have been executed before a transient failure is looked up before anything is written again.
 * What an answer means per function is a {@link Settler} (see {@link MoodleSettlements}).
 */
final class MoodleBatchRunner {
    /** The client's log category, as before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(MoodleClient.class);

    private final MoodleCall moodle;
    private final MoodleSettings settings;

    MoodleBatchRunner(MoodleCall moodle, MoodleSettings settings) {
        this.moodle = moodle;
        this.settings = settings;
    }

    /** Outcomes by index while a batch is worked on. */
    static final class Slots {
        final List<Map<String, Object>> records;
        final BatchResult.Outcome[] outcomes;
        final MoodleCall.Calls calls = new MoodleCall.Calls();

        Slots(List<Map<String, Object>> records) {
            this.records = records;
            this.outcomes = new BatchResult.Outcome[records.size()];
        }

        Map<String, Object> record(int i) {
            return records.get(i);
        }

        void success(int i, JsonNode result) {
            outcomes[i] = BatchResult.Outcome.success(i, records.get(i), result);
        }

        void failure(int i, String code, String reason, BatchResult.Origin origin) {
            outcomes[i] = BatchResult.Outcome.failure(i, records.get(i), code, reason, origin);
        }

        BatchResult build(String function) {
            List<BatchResult.Outcome> list = new ArrayList<>(outcomes.length);
            for (int i = 0; i < outcomes.length; i++) {
                if (outcomes[i] == null) {
                    throw new IllegalStateException(function + ": record " + i + " has no outcome");
                }
                list.add(outcomes[i]);
            }
            BatchResult r = new BatchResult(list, calls.n);
            if (!list.isEmpty()) {
                LOG.info("Moodle {}: {}", function, r);
            }
            return r;
        }
    }

    /** Attributes a successful answer to the records sent; false when it cannot (the batch is then bisected). */
    @FunctionalInterface
    interface Settler {
        boolean settle(List<Integer> sent, JsonNode answer, Slots slots);
    }

    /** Finds which records of a possibly executed create exist in Moodle: index to the JSON result to record. */
    @FunctionalInterface
    interface Recovery {
        Map<Integer, JsonNode> lookup(List<Integer> sent, Slots slots);
    }

    /** {@code listKey}: the parameter holding the records; null for a function that takes one record's fields. */
    record Op(String function, String listKey, Settler settler, Recovery recovery,
                      Function<Map<String, Object>, Map<String, Object>> wire) {
        Op(String function, String listKey, Settler settler, Recovery recovery) {
            this(function, listKey, settler, recovery, Function.identity());
        }

        boolean idempotent() {
            return !MoodleClient.NON_IDEMPOTENT.contains(function);
        }
    }

    /** Pre-validation result: indices to send. */
    List<Integer> prevalidate(Slots slots, Function<Map<String, Object>, Optional<MoodleRecordRules.Violation>> rule,
                                      Function<Map<String, Object>, List<String>> uniqueKeys,
                                      Function<Map<String, Object>, Map<String, Object>> wire) {
        List<Integer> ok = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < slots.records.size(); i++) {
            Map<String, Object> r = slots.record(i);
            if (r == null) {
                throw new IllegalArgumentException("record " + i + " is null");
            }
            Optional<MoodleRecordRules.Violation> v = rule.apply(r);
            if (v.isPresent()) {
                slots.failure(i, v.get().errorcode(), v.get().reason(), BatchResult.Origin.CLIENT);
                continue;
            }
            String dup = null;
            for (String k : uniqueKeys.apply(r)) {
                if (seen.contains(k)) {
                    dup = k;
                }
            }
            if (dup != null) {
                slots.failure(i, "duplicateinbatch", "same " + dup.substring(0, dup.indexOf('=')) + " as an earlier record"
                        + " of the batch", BatchResult.Origin.CLIENT);
                continue;
            }
            seen.addAll(uniqueKeys.apply(r));
            if (FormEncoder.FIXED_FIELDS + FormEncoder.countLeaves(wire.apply(r)) > settings.fieldBudget()) {
                slots.failure(i, "toomanyfields", "one record alone exceeds the form-field budget",
                        BatchResult.Origin.CLIENT);
                continue;
            }
            ok.add(i);
        }
        return ok;
    }

    /** Cuts indices into groups under the function's limit: the field budget and its record cap. */
    static List<List<Integer>> cut(List<Integer> idx, Function<Integer, Integer> leavesOf, BatchLimit limit) {
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> cur = new ArrayList<>();
        int fields = FormEncoder.FIXED_FIELDS;
        for (int i : idx) {
            int leaves = leavesOf.apply(i);
            if (limit.full(cur.size(), fields, leaves)) {
                out.add(cur);
                cur = new ArrayList<>();
                fields = FormEncoder.FIXED_FIELDS;
            }
            cur.add(i);
            fields += leaves;
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    BatchResult runBatch(Op op, Slots slots, List<Integer> valid) {
        // count what is sent (the wire form), not the caller's record
        List<List<Integer>> groups = cut(valid, i -> FormEncoder.countLeaves(op.wire().apply(slots.record(i))),
                BatchLimit.of(settings, op.function()));
        try {
            for (List<Integer> group : groups) {
                run(op, group, slots);
            }
        } catch (MoodleFatalException f) {
            // hand over what was settled (e.g. users already created); the rest can be sent again later
            for (int i = 0; i < slots.outcomes.length; i++) {
                if (slots.outcomes[i] == null) {
                    slots.failure(i, f.errorcode(), "not sent: " + f.getMessage(), BatchResult.Origin.TRANSIENT);
                }
            }
            throw new MoodleFatalException(f.function(), f.errorcode(), f.moodleMessage(), f.debuginfo(), f,
                    slots.build(op.function()));
        }
        return slots.build(op.function());
    }

    private Map<String, Object> params(Op op, List<Integer> idx, Slots slots) {
        if (op.listKey() == null) {
            // a function of one record (core_course_duplicate_course): its fields are the call's parameters
            return op.wire().apply(slots.record(idx.get(0)));
        }
        List<Map<String, Object>> list = new ArrayList<>(idx.size());
        for (int i : idx) {
            list.add(op.wire().apply(slots.record(i)));
        }
        return Map.of(op.listKey(), list);
    }

    /**
     * Sends one group. Record-level refusal: bisect until single records carry Moodle's errorcode. Transient
     * failure: idempotent writes were already retried inside {@link MoodleCall#call}; creates are retried here, each retry
     * preceded by a look-up when the failed request may have been executed, so nothing is created twice.
     */
    private void run(Op op, List<Integer> idx, Slots slots) {
        List<Integer> todo = idx;
        int attempt = 1;
        while (!todo.isEmpty()) {
            JsonNode answer;
            try {
                answer = op.idempotent() ? moodle.call(op.function(), params(op, todo, slots), slots.calls)
                        : moodle.attempt(op.function(), params(op, todo, slots), slots.calls);
            } catch (MoodleRecordException e) {
                if (todo.size() == 1) {
                    slots.failure(todo.get(0), e.errorcode(), e.moodleMessage(), BatchResult.Origin.MOODLE);
                } else {
                    bisect(op, todo, slots);
                }
                return;
            } catch (MoodleTransientException t) {
                boolean exhausted = op.idempotent() || attempt >= settings.retryMaxAttempts()
                        || Thread.currentThread().isInterrupted();
                if (!exhausted) {
                    try {
                        moodle.pause(op.function(), attempt++, t);
                    } catch (MoodleTransientException interrupted) {
                        exhausted = true; // the stage is stopping: settle what is known, send nothing more
                    }
                }
                if (t.mayHaveWritten() && op.recovery() != null) {
                    try {
                        todo = recover(op, todo, slots);
                    } catch (MoodleTransientException | MoodleRecordException lookupFailed) {
                        exhausted = true; // unknown state: never write blind
                    }
                }
                if (exhausted) {
                    for (int i : todo) {
                        slots.failure(i, t.errorcode(), t.getMessage(), BatchResult.Origin.TRANSIENT);
                    }
                    return;
                }
                continue;
            }
            if (!op.settler().settle(todo, answer, slots)) {
                if (todo.size() == 1) {
                    throw moodle.unexpected(op.function(), "answer could not be attributed to the record sent");
                }
                bisect(op, todo, slots);
            }
            return;
        }
    }

    private void bisect(Op op, List<Integer> todo, Slots slots) {
        int mid = (todo.size() + 1) / 2;
        LOG.debug("Moodle {}: bisecting {} records", op.function(), todo.size());
        run(op, List.copyOf(todo.subList(0, mid)), slots);
        run(op, List.copyOf(todo.subList(mid, todo.size())), slots);
    }

    private List<Integer> recover(Op op, List<Integer> todo, Slots slots) {
        Map<Integer, JsonNode> found = op.recovery().lookup(todo, slots);
        List<Integer> rest = new ArrayList<>();
        for (int i : todo) {
            JsonNode n = found.get(i);
            if (n != null) {
                slots.success(i, n);
            } else {
                rest.add(i);
            }
        }
        if (!found.isEmpty()) {
            LOG.info("Moodle {}: {} of {} records were written before the failure; not sent again",
                    op.function(), found.size(), todo.size());
        }
        return rest;
    }

    static List<Map<String, Object>> checked(List<Map<String, Object>> batch) {
        if (batch == null) {
            throw new IllegalArgumentException("batch is null");
        }
        return batch;
    }

    static String str(Map<String, Object> r, String key) {
        return MoodleRecordRules.text(r.get(key)).orElse("");
    }
}
