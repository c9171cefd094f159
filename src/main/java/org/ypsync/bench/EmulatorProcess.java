package org.ypsync.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ypsync.ops.Secrets;

/**
 * The child JVM that holds the benchmark's emulators ({@link EmulatorHost}): same classpath, its own {@code -Xmx},
 * loopback only, driven over its stdin/stdout. {@link #close} ends it (and so does a shutdown hook, and the child
 * itself when its stdin closes).
 */
final class EmulatorProcess implements AutoCloseable {
    private final Process process;
    private final Writer commands;
    private final BufferedReader answers;
    private final Map<String, String> properties;
    private final Thread hook;

    /** What the emulators counted: Moodle calls and rows by function, NetYpareo answers per path. */
    record Counters(Map<String, Long> moodleCalls, Map<String, Long> moodleRows, List<CacheFloor.Served> served) {
    }

    private EmulatorProcess(Process process) throws IOException {
        this.process = process;
        hook = new Thread(process::destroyForcibly, "bench-emulators-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        commands = process.outputWriter(StandardCharsets.UTF_8);
        answers = process.inputReader(StandardCharsets.UTF_8);
        JsonNode ready = read();
        properties = EmulatorHost.JSON.convertValue(ready.get("properties"), new TypeReference<>() { });
        properties.forEach((k, v) -> {
            if (k.endsWith(".token")) {
                Secrets.register(v);
            }
        });
    }

    /** Starts the emulators' JVM and waits until they answer. */
    static EmulatorProcess start(long seed, BenchSize size, Bench.Options o, int heapMb) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMb + "m", "-cp", System.getProperty("java.class.path"), EmulatorHost.class.getName(),
                Long.toString(seed), size.name(), Double.toString(o.latencyMs()), Double.toString(o.itemLatencyMs()),
                Double.toString(o.netypareoLatencyMs()), Double.toString(o.netypareoKbLatencyMs())));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            return new EmulatorProcess(p);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    /** The properties that point ypsync at the emulators (tokens included, registered as secrets). */
    Map<String, String> properties() {
        return properties;
    }

    synchronized Counters counters() throws IOException {
        JsonNode n = call("counters");
        Map<String, Long> calls = EmulatorHost.JSON.convertValue(n.get("moodleCalls"), new TypeReference<>() { });
        Map<String, Long> rows = EmulatorHost.JSON.convertValue(n.get("moodleRows"), new TypeReference<>() { });
        List<CacheFloor.Served> served = new ArrayList<>();
        for (JsonNode s : n.get("served")) {
            served.add(new CacheFloor.Served(s.get("instance").asText(), s.get("path").asText(),
                    s.get("calls").asLong(), s.get("bytes").asLong()));
        }
        return new Counters(calls, rows, served);
    }

    void resetCounters() throws IOException {
        call("reset");
    }

    /** Phase 3's churn of each instance's students; what changed, by instance. */
    Map<String, String> churn(long seed, double share) throws IOException {
        return EmulatorHost.JSON.convertValue(call("churn " + seed + " " + share),
                new TypeReference<LinkedHashMap<String, String>>() { });
    }

    /** The emulators' live heap (after a GC in their JVM). */
    long heapBytes() throws IOException {
        return call("heap").get("usedBytes").asLong();
    }

    private synchronized JsonNode call(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
        JsonNode n = read();
        if (n.has("error")) {
            throw new IllegalStateException("emulators: " + n.get("error").asText());
        }
        return n;
    }

    private JsonNode read() throws IOException {
        String line = answers.readLine();
        if (line == null) {
            throw new IOException("the emulators' JVM ended (exit " + (process.isAlive() ? "?" : process.exitValue())
                    + ")");
        }
        return EmulatorHost.JSON.readTree(line);
    }

    @Override
    public void close() {
        try {
            commands.write("quit\n");
            commands.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down: the hook runs anyway
        }
    }
}
