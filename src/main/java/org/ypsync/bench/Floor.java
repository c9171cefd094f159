package org.ypsync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The least time the emulated Moodle's configured latency imposes on a piece of work: each step (one Moodle
 * function within one stage; steps run one after the other, as the stages do) needs at least
 * ceil(items / batch) calls for writes at the largest safe batch size, and the read calls it made for reads (the
 * client already packs reads to the field budget). A call costs the per-call latency plus the per-item latency of
 * each row it writes; at most {@code concurrency} calls are in flight at once, so a step's floor is the makespan of
 * its batches spread over {@code concurrency} lanes (longest first). Our own CPU, the store and the emulator's own
 * processing are not in the floor: they are what the ratio wall / floor measures.
 */
public record Floor(double callLatencyMs, double itemLatencyMs, int concurrency, int fieldBudget, int maxRecords,
                    Map<String, Integer> maxRecordsByFunction) {

    /** Form fields of a call besides its records (wstoken, wsfunction, moodlewsrestformat and one spare). */
    static final int CALL_FIELDS = 4;

    public Floor {
        if (concurrency < 1 || maxRecords < 1 || fieldBudget <= CALL_FIELDS) {
            throw new IllegalArgumentException("invalid floor settings");
        }
        maxRecordsByFunction = Map.copyOf(maxRecordsByFunction);
    }

    /** One record cap for every function. */
    public Floor(double callLatencyMs, double itemLatencyMs, int concurrency, int fieldBudget, int maxRecords) {
        this(callLatencyMs, itemLatencyMs, concurrency, fieldBudget, maxRecords, Map.of());
    }

    /** The record cap of a write function: its own (moodle.max-records-per-batch.<function>), or the default one. */
    public int maxRecords(String function) {
        return maxRecordsByFunction.getOrDefault(function, maxRecords);
    }

    /** One function's work in one stage: rows written (0 for reads) and, for reads, the calls made. */
    public record Step(String stage, String function, boolean write, long items, long readCalls) {
    }

    /** Form fields one record of a write function uses at most (the widest record ypsync sends). */
    static int fieldsPerRecord(String function) {
        return switch (function) {
            case "core_user_create_users" -> 10;   // username, password, names, email, auth, idnumber, customfield
            case "core_user_update_users" -> 10;
            case "core_cohort_create_cohorts" -> 7; // categorytype type/value, name, idnumber, description, visible
            case "core_cohort_update_cohorts" -> 7;
            case "core_cohort_add_cohort_members" -> 4;
            case "core_cohort_delete_cohort_members" -> 2;
            case "core_course_create_categories" -> 4; // name, idnumber, parent, description
            case "core_course_create_courses" -> 7;    // fullname, shortname, categoryid, idnumber, dates, visible
            case "core_course_update_courses" -> 4;    // id, idnumber, dates
            case "enrol_manual_enrol_users" -> 6;      // roleid, userid, courseid, timestart, timeend, suspend
            default -> 10;
        };
    }

    /** The largest safe batch of a write function: the field budget and the function's record cap. */
    public int batchSize(String function) {
        return Math.max(1, Math.min(maxRecords(function), (fieldBudget - CALL_FIELDS) / fieldsPerRecord(function)));
    }

    /** The fewest calls a step needs. */
    public long calls(Step step) {
        if (!step.write()) {
            return step.readCalls();
        }
        int b = batchSize(step.function());
        return (step.items() + b - 1) / b;
    }

    /** The step's floor in milliseconds. */
    public double millis(Step step) {
        long n = calls(step);
        if (n == 0) {
            return 0;
        }
        List<Double> costs = new ArrayList<>();
        if (!step.write()) {
            for (long i = 0; i < n; i++) {
                costs.add(callLatencyMs);
            }
        } else {
            int b = batchSize(step.function());
            long left = step.items();
            while (left > 0) {
                long size = Math.min(b, left);
                costs.add(callLatencyMs + size * itemLatencyMs);
                left -= size;
            }
        }
        return makespan(costs, concurrency);
    }

    /** The floor of steps run one after the other, in milliseconds. */
    public double millis(List<Step> steps) {
        return steps.stream().mapToDouble(this::millis).sum();
    }

    /** Longest-first list scheduling of the calls on {@code lanes} lanes: when the last one ends. */
    static double makespan(List<Double> costs, int lanes) {
        List<Double> sorted = new ArrayList<>(costs);
        sorted.sort((a, b) -> Double.compare(b, a));
        PriorityQueue<Double> ends = new PriorityQueue<>();
        for (int i = 0; i < Math.min(lanes, sorted.size()); i++) {
            ends.add(0.0);
        }
        double last = 0;
        for (double c : sorted) {
            double end = ends.poll() + c;
            last = Math.max(last, end);
            ends.add(end);
        }
        return last;
    }
}
