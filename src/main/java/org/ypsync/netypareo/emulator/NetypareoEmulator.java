package org.ypsync.netypareo.emulator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.ypsync.netypareo.Group;
import org.ypsync.netypareo.NetypareoInstance;
import org.ypsync.netypareo.Period;
import org.ypsync.netypareo.RecordStream.Envelope;
import org.ypsync.netypareo.Site;
import org.ypsync.netypareo.StaffAccount;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.TutorAccount;

/**
 * An HTTP server on 127.0.0.1 (ephemeral port) that answers like NetYpareo instances under the contract of
 * netypareo-api.md, for tests, the demo and the benchmark. Each instance has an id, a token, an envelope and an
 * {@link EmulatedData}; its base URL is {@code http://127.0.0.1:<port>/<id>/netypareo/} and it serves
 * {@code index.php/r/v1/} + one of: {@code sites}, {@code periodes}, {@code utilisateur/apprenants},
 * {@code utilisateur/personnels}, {@code utilisateur/tuteurs}, {@code formation-longue/groupes} (filters
 * {@code codesPeriode}, {@code codesSite}), {@code formation-courte/<DD-MM-YYYY>/<DD-MM-YYYY>/groupes} (the FC groups
 * whose dates overlap the window), {@code groupes/<code>/apprenants} (an unknown group has no members),
 * {@code groupes-personnels/from-planning} (filters {@code codesPeriode}, {@code codesPersonnel}: one record per diploma
 * group and trainer of its timetable). Anything
 * else answers 404; a missing or wrong X-Auth-Token answers 401. Answers are streamed with a JsonGenerator.
 * Faults can be injected per instance and path prefix ({@link #fault}); requests are counted per path.
 */
public final class NetypareoEmulator implements AutoCloseable {
    private static final String API = "/netypareo/index.php/r/v1/";
    private static final DateTimeFormatter PAYLOAD_DATE = DateTimeFormatter.ofPattern("dd/MM/uuuu");
    private static final DateTimeFormatter PATH_DATE = DateTimeFormatter.ofPattern("dd-MM-uuuu")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern FC = Pattern.compile("formation-courte/([^/]+)/([^/]+)/groupes");
    private static final Pattern MEMBERS = Pattern.compile("groupes/(\\d{1,9})/apprenants");
    private static final JsonFactory JSON = new ObjectMapper().getFactory();
    private static final int MAX_LOG = 100_000;

    static {
        // The JDK server writes headers and body chunks separately; without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK add ~40 ms to every small answer (thousands of group-member calls in the benchmark).
        // Read once, when the first HttpServer of the JVM starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private record Instance(String id, String token, Envelope envelope, EmulatedData data) {
    }

    private record FaultEntry(String instanceId, String prefix, Fault fault, AtomicInteger remaining) {
        boolean matches(String id, String path) {
            return (instanceId == null || instanceId.equals(id)) && path.startsWith(prefix);
        }
    }

    /** Writes the records of one answer; {@code keyed} selects the envelope. */
    private interface Body {
        void write(JsonGenerator g, boolean keyed) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final List<FaultEntry> faults = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    // requests received and not yet answered per instance id (first path segment), and the most at once since the
    // last reset
    // (a request is answered on one thread; an HttpExchange's attributes are its context's, shared by all requests)
    private static final ThreadLocal<AtomicInteger> IN_FLIGHT = new ThreadLocal<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final java.util.ArrayDeque<String> requestLog = new java.util.ArrayDeque<>();
    private final Map<String, java.util.concurrent.atomic.AtomicLongArray> served = new ConcurrentHashMap<>();
    private volatile long latencyPerCallNanos;
    private volatile double latencyPerKbNanos;

    /** What the emulator served on one path of one instance: answers (HTTP 200 with records) and their body bytes. */
    public record Served(long calls, long bytes) {
    }

    private NetypareoEmulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "netypareo-emulator-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts an emulator with no instance yet. */
    public static NetypareoEmulator start() {
        try {
            return new NetypareoEmulator();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the NetYpareo emulator", e);
        }
    }

    /** Adds (or replaces) an instance. The id must be a plain URL path segment. */
    public NetypareoEmulator addInstance(String id, String token, Envelope envelope, EmulatedData data) {
        if (!id.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("instance id must be a plain path segment: " + id);
        }
        instances.put(id, new Instance(id, token, envelope, data));
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** e.g. {@code http://127.0.0.1:41234/demo/netypareo/}. */
    public String baseUrl(String instanceId) {
        instance(instanceId);
        return "http://127.0.0.1:" + port() + "/" + instanceId + "/netypareo/";
    }

    /** A client-side instance pointing at an emulated one (with its token). */
    public NetypareoInstance instance(int index, String instanceId, String name) {
        Instance i = instance(instanceId);
        return new NetypareoInstance(index, instanceId, name, baseUrl(instanceId), i.token());
    }

    public EmulatedData data(String instanceId) {
        return instance(instanceId).data();
    }

    // ------------------------------------------------------------------ faults and counters

    /**
     * Injects a fault on requests of an instance ({@code null}: every instance) whose path (relative to
     * {@code index.php/r/v1/}, query excluded) starts with {@code pathPrefix}. Faults apply in the order added;
     * the first one that matches (and has requests left) wins.
     */
    public void fault(String instanceId, String pathPrefix, Fault fault) {
        faults.add(new FaultEntry(instanceId, pathPrefix, fault, new AtomicInteger(fault.times)));
    }

    public void clearFaults() {
        faults.clear();
    }

    /** Requests received for an instance whose path starts with {@code pathPrefix} ("" for all). */
    public int requestCount(String instanceId, String pathPrefix) {
        String key = instanceId + " " + pathPrefix;
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(key))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** "instanceId path" → number of requests (query excluded). */
    public Map<String, Integer> requestCounts() {
        return counts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
    }

    /** The requests as "instanceId path?query", in arrival order (the last 100,000). */
    public List<String> requestLog() {
        synchronized (requestLog) {
            return List.copyOf(requestLog);
        }
    }

    /**
     * Answers like a hosted NetYpareo: each answer with records waits {@code perCall} plus {@code perKb} per KB of its
     * body before it is sent (outside any lock, so concurrent calls overlap). Zero (the default) streams at once.
     */
    public NetypareoEmulator latency(Duration perCall, Duration perKb) {
        latencyPerCallNanos = perCall.toNanos();
        latencyPerKbNanos = perKb.toNanos();
        return this;
    }

    /** "instanceId path" (query excluded) → the answers with records served on it and their bytes. */
    public Map<String, Served> served() {
        Map<String, Served> m = new java.util.TreeMap<>();
        served.forEach((k, v) -> m.put(k, new Served(v.get(0), v.get(1))));
        return m;
    }

    /** The most requests of an instance received and not yet answered at once since the start or the last {@link #resetCounters}. */
    public int maxInFlight(String instanceId) {
        AtomicInteger max = maxInFlight.get(instanceId);
        return max == null ? 0 : max.get();
    }

    public void resetCounters() {
        served.clear();
        counts.clear();
        maxInFlight.clear();
        synchronized (requestLog) {
            requestLog.clear();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        int slash = path.indexOf('/', 1);
        String id = slash > 0 ? path.substring(1, slash) : "";
        AtomicInteger now = inFlight.computeIfAbsent(id, k -> new AtomicInteger());
        maxInFlight.computeIfAbsent(id, k -> new AtomicInteger()).accumulateAndGet(now.incrementAndGet(), Math::max);
        IN_FLIGHT.set(now);
        try {
            serve(ex);
        } catch (IOException e) {
            // the client went away (e.g. it timed out): nothing to answer
        } catch (RuntimeException e) {
            try {
                text(ex, 500, "text/html; charset=UTF-8", "<html><body>Erreur interne</body></html>");
            } catch (IOException | RuntimeException ignored) {
                // headers were already sent: closing the exchange cuts the answer
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.close();
            leftFlight();
        }
    }

    /**
     * The answer's status line goes out: the request is no longer in flight. Counted here, before the client can
     * have read the answer, and not after the exchange is closed: a client that read it whole may already have sent
     * its next call while this thread is still closing (the count would then see one call too many at once).
     */
    private static void answering(HttpExchange ex, int status, long length) throws IOException {
        leftFlight();
        ex.sendResponseHeaders(status, length);
    }

    private static void leftFlight() {
        AtomicInteger counter = IN_FLIGHT.get();
        if (counter != null) {
            IN_FLIGHT.remove();
            counter.decrementAndGet();
        }
    }

    private void serve(HttpExchange ex) throws IOException, InterruptedException {
        String fullPath = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        int slash = fullPath.indexOf('/', 1);
        Instance inst = slash > 0 ? instances.get(fullPath.substring(1, slash)) : null;
        if (inst == null || !fullPath.startsWith(API, slash)) {
            text(ex, 404, "text/html; charset=UTF-8", "<html><body>404 Not Found</body></html>");
            return;
        }
        String path = fullPath.substring(slash + API.length());
        counts.computeIfAbsent(inst.id() + " " + path, k -> new AtomicInteger()).incrementAndGet();
        synchronized (requestLog) {
            if (requestLog.size() >= MAX_LOG) {
                requestLog.removeFirst();
            }
            requestLog.addLast(inst.id() + " " + path + (query == null ? "" : "?" + query));
        }
        if (!"GET".equals(ex.getRequestMethod())) {
            text(ex, 405, "application/json", "{\"message\":\"Method not allowed\"}");
            return;
        }
        String token = ex.getRequestHeaders().getFirst("X-Auth-Token");
        if (token == null || !token.equals(inst.token())) {
            text(ex, 401, "application/json", "{\"message\":\"Token invalide\"}");
            return;
        }
        Fault fault = takeFault(inst.id(), path);
        if (fault != null) {
            switch (fault.kind) {
                case STATUS -> {
                    if (fault.body != null) {
                        text(ex, fault.status, fault.contentType, fault.body);
                    } else {
                        text(ex, fault.status, "text/html; charset=UTF-8",
                                "<html><body>Erreur " + fault.status + "</body></html>");
                    }
                    return;
                }
                case MALFORMED, RAW -> {
                    text(ex, 200, fault.contentType, fault.body);
                    return;
                }
                case EMPTY -> {
                    text(ex, 200, "application/json", inst.envelope() == Envelope.KEYED ? "{}" : "[]");
                    return;
                }
                case DELAY -> Thread.sleep(fault.duration.toMillis());
                default -> {
                    // TRUNCATED and STALL alter the normal answer below
                }
            }
        }
        Body body = route(inst.data(), path, params(query));
        if (body == null) {
            text(ex, 404, "text/html; charset=UTF-8", "<html><body>404 Not Found</body></html>");
            return;
        }
        boolean keyed = inst.envelope() == Envelope.KEYED;
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        if (fault != null && (fault.kind == Fault.Kind.TRUNCATED || fault.kind == Fault.Kind.STALL)) {
            byte[] all = render(body, keyed);
            answering(ex, 200, 0);
            OutputStream out = ex.getResponseBody();
            if (fault.kind == Fault.Kind.TRUNCATED) {
                // cut inside a record: at two thirds, and never at the very end
                out.write(all, 0, Math.max(1, Math.min(all.length - 1, all.length * 2 / 3)));
            } else {
                int half = all.length / 2;
                out.write(all, 0, half);
                out.flush();
                Thread.sleep(fault.duration.toMillis());
                out.write(all, half, all.length - half);
            }
            out.close();
            return;
        }
        String key = inst.id() + " " + path;
        if (latencyPerCallNanos > 0 || latencyPerKbNanos > 0) {
            byte[] all = render(body, keyed);
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(latencyPerCallNanos
                    + (long) (latencyPerKbNanos * all.length / 1024));
            answering(ex, 200, all.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(all);
            }
            countServed(key, all.length);
            return;
        }
        answering(ex, 200, 0); // chunked: the answer is streamed
        long[] bytes = {0};
        OutputStream counting = new java.io.FilterOutputStream(ex.getResponseBody()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                bytes[0] += len;
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                bytes[0]++;
            }
        };
        try (OutputStream out = new BufferedOutputStream(counting, 1 << 16);
             JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            body.write(g, keyed);
        }
        countServed(key, bytes[0]);
    }

    private void countServed(String key, long bytes) {
        java.util.concurrent.atomic.AtomicLongArray c = served.computeIfAbsent(key,
                k -> new java.util.concurrent.atomic.AtomicLongArray(2));
        c.incrementAndGet(0);
        c.addAndGet(1, bytes);
    }

    private FaultEntry matchFault(String id, String path) {
        for (FaultEntry f : faults) {
            if (f.matches(id, path) && (f.fault().times < 0 || f.remaining().get() > 0)) {
                return f;
            }
        }
        return null;
    }

    private Fault takeFault(String id, String path) {
        while (true) {
            FaultEntry f = matchFault(id, path);
            if (f == null) {
                return null;
            }
            if (f.fault().times < 0) {
                return f.fault();
            }
            int left = f.remaining().get();
            if (left > 0 && f.remaining().compareAndSet(left, left - 1)) {
                return f.fault();
            }
        }
    }

    private static byte[] render(Body body, boolean keyed) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(buf, JsonEncoding.UTF8)) {
            body.write(g, keyed);
        }
        return buf.toByteArray();
    }

    private static void text(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        answering(ex, status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    /** The answer for a path, or null for 404. */
    private Body route(EmulatedData data, String path, Map<String, String> params) throws IOException {
        switch (path) {
            case "sites" -> {
                return records(data.sites(), s -> Integer.toString(s.code()), NetypareoEmulator::writeSite,
                        data.rawRecords(path));
            }
            case "periodes" -> {
                return records(data.periods(), p -> Integer.toString(p.code()), NetypareoEmulator::writePeriod,
                        data.rawRecords(path));
            }
            case "utilisateur/apprenants" -> {
                int index = data.instanceIndex();
                return records(data.students(), s -> Integer.toString(s.code()),
                        (g, s) -> writeStudent(g, s, index), data.rawRecords(path));
            }
            case "utilisateur/personnels" -> {
                return records(data.staff(), s -> Integer.toString(s.code()), NetypareoEmulator::writeStaff,
                        data.rawRecords(path));
            }
            case "utilisateur/tuteurs" -> {
                return records(data.tutors(), t -> Integer.toString(t.code()), NetypareoEmulator::writeTutor,
                        data.rawRecords(path));
            }
            case "formation-longue/groupes" -> {
                Set<Integer> periods = codes(params.get("codesPeriode"));
                Set<Integer> sites = codes(params.get("codesSite"));
                List<Group> groups = data.diplomaGroups().stream()
                        .filter(g -> periods == null || periods.contains(g.periodCode()))
                        .filter(g -> sites == null || sites.contains(g.siteCode()))
                        .toList();
                return records(groups, g -> Integer.toString(g.code()), NetypareoEmulator::writeGroup,
                        data.rawRecords(path));
            }
            case "groupes-personnels/from-planning" -> {
                Set<Integer> periods = codes(params.get("codesPeriode"));
                Set<Integer> staff = codes(params.get("codesPersonnel"));
                List<TrainerRow> rows = new ArrayList<>();
                synchronized (data) {
                    for (Group g : data.diplomaGroups()) {
                        if (periods != null && !periods.contains(g.periodCode())) {
                            continue;
                        }
                        for (Integer code : data.trainers(g.code())) {
                            if (staff == null || staff.contains(code)) {
                                rows.add(new TrainerRow(g.code(), g.name(), code));
                            }
                        }
                    }
                }
                return records(rows, t -> t.groupCode() + "-" + t.staffCode(), NetypareoEmulator::writeTrainer,
                        data.rawRecords(path));
            }
            default -> {
                // patterns below
            }
        }
        Matcher fc = FC.matcher(path);
        if (fc.matches()) {
            LocalDate from;
            LocalDate to;
            try {
                from = LocalDate.parse(fc.group(1), PATH_DATE);
                to = LocalDate.parse(fc.group(2), PATH_DATE);
            } catch (DateTimeParseException e) {
                return null;
            }
            List<Group> groups = data.fcGroups().stream()
                    .filter(g -> (g.start() == null || !g.start().isAfter(to)) && (g.end() == null || !g.end().isBefore(from)))
                    .toList();
            return records(groups, g -> Integer.toString(g.code()), NetypareoEmulator::writeGroup,
                    data.rawRecords("formation-courte/groupes"));
        }
        Matcher members = MEMBERS.matcher(path);
        if (members.matches()) {
            int groupCode = Integer.parseInt(members.group(1));
            List<MemberRow> rows = new ArrayList<>();
            synchronized (data) {
                for (Integer code : data.members(groupCode)) {
                    StudentAccount s = data.student(code).orElse(null);
                    rows.add(new MemberRow(code, s == null ? null : s.lastName(), s == null ? null : s.firstName(),
                            groupCode));
                }
            }
            return records(rows, m -> Integer.toString(m.code()), NetypareoEmulator::writeMember,
                    data.rawRecords("groupes/apprenants"));
        }
        return null;
    }

    private record MemberRow(int code, String lastName, String firstName, int groupCode) {
    }

    private record TrainerRow(int groupCode, String groupName, int staffCode) {
    }

    private interface RecordWriter<T> {
        void write(JsonGenerator g, T record) throws IOException;
    }

    private static <T> Body records(List<T> list, java.util.function.Function<T, String> key, RecordWriter<T> writer,
                                    List<JsonNode> raw) {
        return (g, keyed) -> {
            if (keyed) {
                g.writeStartObject();
            } else {
                g.writeStartArray();
            }
            for (T record : list) {
                if (keyed) {
                    g.writeFieldName(key.apply(record));
                }
                writer.write(g, record);
            }
            int n = 0;
            for (JsonNode node : raw) {
                if (keyed) {
                    g.writeFieldName("raw" + n++);
                }
                g.writeTree(node);
            }
            if (keyed) {
                g.writeEndObject();
            } else {
                g.writeEndArray();
            }
        };
    }

    private static Set<Integer> codes(String list) {
        if (list == null || list.isBlank()) {
            return null;
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> s.matches("\\d{1,9}"))
                .map(Integer::valueOf).collect(Collectors.toSet());
    }

    // ------------------------------------------------------------------ record shapes (netypareo-samples.json)

    private static void writeSite(JsonGenerator g, Site s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("codeSite", s.code());
        g.writeStringField("nomSite", s.name());
        g.writeStringField("abregeSite", s.shortCode());
        g.writeNumberField("plusUtilise", s.unused() ? 1 : 0);
        g.writeEndObject();
    }

    private static void writePeriod(JsonGenerator g, Period p) throws IOException {
        g.writeStartObject();
        g.writeNumberField("codePeriode", p.code());
        g.writeStringField("nomPeriode", p.name());
        writeDate(g, "dateDeb", p.start());
        writeDate(g, "dateFin", p.end());
        g.writeEndObject();
    }

    private static void writeStudent(JsonGenerator g, StudentAccount s, int instanceIndex) throws IOException {
        g.writeStartObject();
        g.writeNumberField("codeApprenant", s.code());
        g.writeStringField("login", s.login());
        g.writeStringField("nom", s.lastName());
        g.writeStringField("prenom", s.firstName());
        // a missing e-mail comes as null or as "", as real instances do
        g.writeStringField("email", s.email() != null ? s.email() : s.code() % 2 == 0 ? "" : null);
        writeInt(g, "codeSite", s.siteCode());
        writeInt(g, "codeStatut", s.statusCode());
        g.writeNumberField("isActif", s.active() ? 1 : 0);
        writeDate(g, "dateDepart", s.leavingDate());
        g.writeStringField("typeUtilisateur", "APPRENANT");
        g.writeStringField("uuidNetUtilisateur", "uuid-" + instanceIndex + "-" + s.code());
        g.writeStringField("dateNaissance", PAYLOAD_DATE.format(LocalDate.of(2000 + s.code() % 8,
                1 + s.code() % 12, 1 + s.code() % 28)));
        g.writeEndObject();
    }

    /** Opens an account's object with the fields every kind of account has. */
    private static void writeAccount(JsonGenerator g, String codeField, int code, String login, String lastName,
                                     String firstName, String email) throws IOException {
        g.writeStartObject();
        g.writeNumberField(codeField, code);
        g.writeStringField("login", login);
        g.writeStringField("nom", lastName);
        g.writeStringField("prenom", firstName);
        g.writeStringField("email", email);
    }

    private static void writeStaff(JsonGenerator g, StaffAccount s) throws IOException {
        writeAccount(g, "codePersonnel", s.code(), s.login(), s.lastName(), s.firstName(), s.email());
        g.writeNumberField("isFormateur", s.trainer() ? 1 : 0);
        g.writeNumberField("isAdministratif", s.administrative() ? 1 : 0);
        g.writeNumberField("plusUtilise", s.unused() ? 1 : 0);
        writeInts(g, "codesSite", s.siteCodes());
        g.writeEndObject();
    }

    private static void writeTutor(JsonGenerator g, TutorAccount t) throws IOException {
        writeAccount(g, "codeTuteur", t.code(), t.login(), t.lastName(), t.firstName(), t.email());
        writeInt(g, "codeEntreprise", t.companyCode());
        writeInts(g, "codesApprenant", t.studentCodes());
        g.writeEndObject();
    }

    private static void writeGroup(JsonGenerator g, Group gr) throws IOException {
        g.writeStartObject();
        g.writeNumberField("codeGroupe", gr.code());
        g.writeStringField("nomGroupe", gr.name());
        g.writeStringField("abregeGroupe", gr.shortName());
        writeInt(g, "codeSite", gr.siteCode());
        writeInt(g, "codePeriode", gr.periodCode());
        writeInt(g, "codeFormation", gr.trainingCode());
        writeDate(g, "dateDebut", gr.start());
        writeDate(g, "dateFin", gr.end());
        g.writeEndObject();
    }

    private static void writeMember(JsonGenerator g, MemberRow m) throws IOException {
        g.writeStartObject();
        g.writeNumberField("codeApprenant", m.code());
        g.writeStringField("nomApprenant", m.lastName());
        g.writeStringField("prenomApprenant", m.firstName());
        g.writeObjectFieldStart("informationsCourantes");
        g.writeNumberField("codeGroupe", m.groupCode());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeTrainer(JsonGenerator g, TrainerRow t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("codeGroupe", t.groupCode());
        g.writeStringField("nomGroupe", t.groupName());
        g.writeNumberField("codePersonnel", t.staffCode());
        g.writeEndObject();
    }

    private static void writeInt(JsonGenerator g, String field, Integer value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }

    private static void writeInts(JsonGenerator g, String field, List<Integer> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (Integer v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static void writeDate(JsonGenerator g, String field, LocalDate date) throws IOException {
        if (date == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, PAYLOAD_DATE.format(date));
        }
    }

    private Instance instance(String id) {
        Instance i = instances.get(id);
        if (i == null) {
            throw new IllegalArgumentException("no emulated NetYpareo instance '" + id + "'");
        }
        return i;
    }
}
