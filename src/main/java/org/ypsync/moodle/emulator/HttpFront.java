package org.ypsync.moodle.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The HTTP side of the emulator: the JDK server on 127.0.0.1, the request as PHP builds $_GET/$_POST, the injected
 * {@link Faults} on the way, the PHP workers and the simulated latency, the calls counted, and the answer written
 * back. What a call does is the processor's (the REST server under the site lock).
 */
final class HttpFront {
    static {
        // The JDK server writes headers and body in two segments; with Nagle on, each answer waits for the
        // client's delayed ACK (~40 ms). Read once by the JDK when its first HttpServer is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    static final String HTML = "text/html; charset=utf-8";
    static final String MAINTENANCE_HTML = "<!DOCTYPE html>\n<html><head><title>Site maintenance</title></head>"
            + "<body><h1>Site maintenance</h1><p>This site is undergoing maintenance and is currently not "
            + "available</p></body></html>\n";

    /** What one call produced; {@code items} is the rows it touched, on which the per-item latency is charged. */
    record Answer(int status, String contentType, String body, int items) {
        static Answer html(int status, String body) {
            return new Answer(status, HTML, body, 0);
        }

        /** A web-service answer (HTTP 200) in the requested format. */
        static Answer ws(boolean json, String body, int items) {
            return new Answer(200, json ? "application/json; charset=utf-8" : "application/xml; charset=utf-8", body,
                    items);
        }
    }

    /** The request after PHP has built $_GET/$_POST and the REST server took out its own fields. */
    record Request(Map<String, Object> params, Object token, Object function, boolean json) {
        String functionName() {
            return function instanceof String s ? s : null;
        }
    }

    private final MoodleSite site;
    private final Faults faults;
    private final Function<Request, Answer> processor;
    private volatile Duration latencyPerCall = Duration.ZERO;
    private volatile Duration latencyPerItem = Duration.ZERO;
    private volatile Semaphore workers;
    private final ConcurrentHashMap<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicLong writeCalls = new AtomicLong();

    private HttpServer server;
    private ExecutorService executor;
    private volatile CountDownLatch stopLatch = new CountDownLatch(1);

    HttpFront(MoodleSite site, Faults faults, Function<Request, Answer> processor) {
        this.site = site;
        this.faults = faults;
        this.processor = processor;
    }

    // ------------------------------------------------------------------ lifecycle

    /** Binds 127.0.0.1 on {@code port} (0 = any free port) and starts answering; nothing if already started. */
    synchronized void start(int port) {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the Moodle emulator", e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "moodle-emulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        stopLatch = new CountDownLatch(1);
        server.start();
        site.wwwroot = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Stops the server; held ("timeout after write") responses are released first. */
    void stop() {
        HttpServer s;
        ExecutorService e;
        synchronized (this) {
            s = server;
            e = executor;
            server = null;
            executor = null;
        }
        stopLatch.countDown();
        if (s != null) {
            s.stop(0);
        }
        if (e != null) {
            e.shutdownNow();
        }
    }

    synchronized boolean started() {
        return server != null;
    }

    // ------------------------------------------------------------------ transport settings

    void latencyPerCall(Duration d) {
        latencyPerCall = d;
    }

    void latencyPerItem(Duration d) {
        latencyPerItem = d;
    }

    void workers(int n) {
        workers = n <= 0 ? null : new Semaphore(n, true);
    }

    // ------------------------------------------------------------------ counters

    long calls(String function) {
        AtomicLong n = calls.get(function);
        return n == null ? 0 : n.get();
    }

    Map<String, Long> callsByFunction() {
        Map<String, Long> m = new LinkedHashMap<>();
        calls.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    long totalCalls() {
        return calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long totalWriteCalls() {
        return writeCalls.get();
    }

    void resetCounters() {
        calls.clear();
        writeCalls.set(0);
    }

    // ------------------------------------------------------------------ one call

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!MoodleEmulator.PATH.equals(ex.getRequestURI().getPath())) {
                send(ex, Answer.html(404, "<html><body>Not found</body></html>"));
                return;
            }
            Request req = parse(ex.getRequestMethod(), ex.getRequestURI().getRawQuery(),
                    ex.getRequestHeaders().getFirst("Content-Type"), body);
            String key = req.functionName() == null ? "" : req.functionName();
            count(key);
            if (faults.takeMaintenance()) {
                ex.getResponseHeaders().add("Retry-After", "300");
                send(ex, Answer.html(503, MAINTENANCE_HTML));
                return;
            }
            if (faults.takeResetBefore(key)) {
                return; // closing the exchange before any header is sent drops the connection
            }
            Answer answer;
            try {
                answer = inWorker(key, req);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (faults.takeResetAfter(key)) {
                return;
            }
            Duration hold = faults.takeHold(key);
            if (hold != null) {
                try {
                    stopLatch.await(hold.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            send(ex, answer);
        } catch (IOException e) {
            // the client went away (e.g. gave up on a held response): nothing to do
        }
    }

    private void count(String function) {
        calls.computeIfAbsent(function, k -> new AtomicLong()).incrementAndGet();
        MoodleSite.Fn def = function.isEmpty() ? null : site.functions.get(function);
        if (def != null && def.write()) {
            writeCalls.incrementAndGet();
        }
    }

    /** Runs the call in a free PHP worker (if their number is limited), its latency spent inside the worker. */
    private Answer inWorker(String function, Request req) throws InterruptedException {
        Semaphore pool = workers;
        if (pool != null) {
            pool.acquire();
        }
        try {
            Answer answer = faults.takeInjected(function, req.json());
            if (answer == null) {
                answer = processor.apply(req);
            }
            long pause = latencyPerCall.toNanos() + latencyPerItem.toNanos() * answer.items();
            if (pause > 0) {
                TimeUnit.NANOSECONDS.sleep(pause);
            }
            return answer;
        } finally {
            if (pool != null) {
                pool.release();
            }
        }
    }

    private static void send(HttpExchange ex, Answer a) throws IOException {
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        if (a.contentType() != null) {
            ex.getResponseHeaders().set("Content-Type", a.contentType());
        }
        ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** $_GET, and $_POST for a form body, each cut at max_input_vars; then the REST server's own fields. */
    private Request parse(String method, String rawQuery, String contentType, byte[] body) {
        int max = site.cfg.maxInputVars;
        Map<String, Object> merged = new LinkedHashMap<>(PhpForm.parse(rawQuery, max, PhpForm.Source.QUERY).vars());
        // PHP fills $_POST only for form content types; a JSON or text body is ignored.
        if ("POST".equalsIgnoreCase(method) && contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            merged.putAll(PhpForm.parse(new String(body, StandardCharsets.UTF_8), max, PhpForm.Source.POST_BODY)
                    .vars());
        }
        merged.keySet().removeIf(k -> k.startsWith("moodlewssetting"));
        Object format = merged.remove("moodlewsrestformat");
        Object tok = merged.remove("wstoken");
        Object fn = merged.remove("wsfunction");
        return new Request(merged, tok, fn, "json".equals(format));
    }
}
