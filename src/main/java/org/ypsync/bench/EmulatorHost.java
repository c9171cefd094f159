package org.ypsync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.moodle.emulator.MoodleEmulator;
import org.ypsync.netypareo.emulator.NetypareoEmulator;

/**
 * The benchmark's emulators in a JVM of their own (started by {@link EmulatorProcess}), so that the heap the bench
 * reports is ypsync's alone. {@code EmulatorHost <seed> <size> <moodle ms/call> <moodle ms/row> <netypareo ms/call>
 * <netypareo ms/KB>} starts both emulators on loopback ({@link DemoEnvironment}, the profile field created), prints
 * one JSON line {@code {"properties": {...}}} on stdout (the keys that point ypsync at them, tokens included: the
 * pipe is the parent's alone), then answers one JSON line per command line read on stdin:
 * {@code counters} (Moodle calls and rows written by function, NetYpareo answers served per path), {@code reset},
 * {@code churn <seed> <share>} (phase 3's churn of the students of each instance), {@code heap} (live heap after a
 * GC), {@code quit}. It ends at {@code quit} or when stdin closes (the bench ended, however it ended).
 */
public final class EmulatorHost {
    static final ObjectMapper JSON = new ObjectMapper();

    private final DemoEnvironment env;

    EmulatorHost(DemoEnvironment env) {
        this.env = env;
    }

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // stdout carries the protocol only
        if (args.length != 6) {
            System.err.println("usage: EmulatorHost <seed> <size> <moodle ms/call> <moodle ms/row>"
                    + " <netypareo ms/call> <netypareo ms/KB>");
            System.exit(2);
        }
        DemoEnvironment env = DemoEnvironment.start(Long.parseLong(args[0]), BenchSize.parse(args[1]).perInstance(),
                "jdbc:h2:mem:unused");
        MoodleEmulator moodle = env.moodle();
        // a site set up as the README says: the user profile field exists
        moodle.profileField("netypareo_usertype");
        moodle.latencyPerCall(millis(args[2]));
        moodle.latencyPerItem(millis(args[3]));
        env.netypareo().latency(millis(args[4]), millis(args[5]));
        EmulatorHost host = new EmulatorHost(env);
        protocol.println(JSON.writeValueAsString(Map.of("properties", env.properties())));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
                protocol.println(host.answer(line.trim()));
            }
        } finally {
            env.close();
        }
        System.exit(0);
    }

    private static Duration millis(String ms) {
        return Duration.ofNanos((long) (Double.parseDouble(ms) * 1e6));
    }

    /** The JSON answer to one command line. */
    String answer(String line) {
        try {
            String[] words = line.split("\\s+");
            Object answer = switch (words[0]) {
                case "counters" -> counters();
                case "reset" -> {
                    env.moodle().resetCounters();
                    env.netypareo().resetCounters();
                    yield Map.of("ok", true);
                }
                case "churn" -> churn(Long.parseLong(words[1]), Double.parseDouble(words[2]));
                case "heap" -> {
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                    }
                    Runtime r = Runtime.getRuntime();
                    yield Map.of("usedBytes", r.totalMemory() - r.freeMemory());
                }
                default -> throw new IllegalArgumentException("unknown command " + words[0]);
            };
            return JSON.writeValueAsString(answer);
        } catch (Exception e) {
            return "{\"error\":" + quote(String.valueOf(e.getMessage())) + "}";
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "\"?\"";
        }
    }

    private Map<String, Object> counters() {
        MoodleEmulator moodle = env.moodle();
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String fn : Bench.WRITE_FUNCTIONS) {
            long n = 0;
            for (String kind : Bench.ROW_KINDS) {
                n += moodle.itemsWritten(fn, kind);
            }
            rows.put(fn, n);
        }
        List<Map<String, Object>> served = new ArrayList<>();
        env.netypareo().served().forEach((key, s) -> {
            int space = key.indexOf(' ');
            served.add(Map.of("instance", key.substring(0, space), "path", key.substring(space + 1),
                    "calls", s.calls(), "bytes", s.bytes()));
        });
        return Map.of("moodleCalls", moodle.callsByFunction(), "moodleRows", rows, "served", served);
    }

    private Map<String, String> churn(long seed, double share) {
        Random random = new Random(seed);
        NetypareoEmulator netypareo = env.netypareo();
        Map<String, String> done = new LinkedHashMap<>();
        for (String id : List.of(DemoEnvironment.FIRST, DemoEnvironment.SECOND)) {
            done.put(id, netypareo.data(id).mutate(random, share).toString());
        }
        return done;
    }
}
