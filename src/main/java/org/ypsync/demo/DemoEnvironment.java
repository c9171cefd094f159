package org.ypsync.demo;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ypsync.moodle.emulator.MoodleEmulator;
import org.ypsync.netypareo.RecordStream.Envelope;
import org.ypsync.netypareo.emulator.DataSetGenerator;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.NetypareoEmulator;
import org.ypsync.ops.Secrets;

/**
 * The emulated world of the demo, the benchmark and the end-to-end tests: two NetYpareo instances on loopback (the
 * first answering keyed objects like the Test Ymag base of the guide, the second arrays like the CFA) and a Moodle,
 * with the configuration properties that point ypsync at them.
 */
public final class DemoEnvironment implements AutoCloseable {
    public static final String FIRST = "demo";
    public static final String SECOND = "cfa34";

    static {
        // The JDK HTTP server waits ~40 ms per small answer without TCP_NODELAY (Nagle + delayed ACK); it reads
        // this once, when the first server of the JVM starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final NetypareoEmulator netypareo;
    private final MoodleEmulator moodle;
    private final Map<String, String> properties = new LinkedHashMap<>();

    private DemoEnvironment(long seed, DataSetSize size, String storeUrl) {
        netypareo = NetypareoEmulator.start();
        String firstToken = newToken();
        String secondToken = newToken();
        netypareo.addInstance(FIRST, firstToken, Envelope.KEYED, DataSetGenerator.generate(seed, 0, size));
        netypareo.addInstance(SECOND, secondToken, Envelope.ARRAY, DataSetGenerator.generate(seed + 1, 1, size));
        properties.put("netypareo.instances", FIRST + ", " + SECOND);
        properties.put("netypareo." + FIRST + ".name", "Test Ymag");
        properties.put("netypareo." + FIRST + ".base-url", netypareo.baseUrl(FIRST));
        properties.put("netypareo." + FIRST + ".token", firstToken);
        properties.put("netypareo." + SECOND + ".name", "CFA Montpellier");
        properties.put("netypareo." + SECOND + ".base-url", netypareo.baseUrl(SECOND));
        properties.put("netypareo." + SECOND + ".token", secondToken);
        properties.put("netypareo.retry.initial-delay-ms", "100");
        // a stock Moodle, as a new site is: no user profile field (ypsync says so and syncs the rest)
        moodle = new MoodleEmulator().siteName("Moodle (ypsync demo)").start();
        Secrets.register(moodle.token());
        properties.put("moodle.url", moodle.url());
        properties.put("moodle.token", moodle.token());
        properties.put("moodle.retry.initial-backoff-ms", "100");
        properties.put("ypsync.store.url", storeUrl);
    }

    /** Starts the emulators with a generated data set of the given size. */
    public static DemoEnvironment start(long seed, DataSetSize size, String storeUrl) {
        return new DemoEnvironment(seed, size, storeUrl);
    }

    /** The properties that point ypsync at the emulators and the store. */
    public Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    public MoodleEmulator moodle() {
        return moodle;
    }

    public NetypareoEmulator netypareo() {
        return netypareo;
    }

    private static String newToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        Secrets.register(token);
        return token;
    }

    @Override
    public void close() {
        netypareo.close();
        moodle.close();
    }
}
