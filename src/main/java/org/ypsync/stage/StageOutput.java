package org.ypsync.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ypsync.netypareo.NetypareoInstance;

/**
 * The report of a Moodle stage in the shape operators know: per instance, the "Running on :" header, the
 * "Syncing ..." line, then one indented line per thing done.
 */
public final class StageOutput {
    private static final Logger REPORT = LoggerFactory.getLogger("ypsync.report");
    private static final Pattern PREFIX = Pattern.compile("^(\\d+)_");

    private final String syncing;
    private final Map<Integer, List<String>> lines = new TreeMap<>();

    public StageOutput(String syncing) {
        this.syncing = syncing;
    }

    public synchronized void add(int instance, String line) {
        lines.computeIfAbsent(instance, i -> new ArrayList<>()).add(line);
    }

    /** The instance an idnumber belongs to: "n_..." is instance n, anything else instance 0. */
    public static int instanceOf(String idnumber) {
        Matcher m = idnumber == null ? null : PREFIX.matcher(idnumber);
        return m != null && m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    public synchronized void print(List<NetypareoInstance> instances) {
        for (NetypareoInstance instance : instances) {
            Headers.runningOn(REPORT, instance);
            REPORT.info("  {}", syncing);
            for (String line : lines.getOrDefault(instance.index(), List.of())) {
                REPORT.info("    {}", line);
            }
        }
    }
}
