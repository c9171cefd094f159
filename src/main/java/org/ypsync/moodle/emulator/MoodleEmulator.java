package org.ypsync.moodle.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.ypsync.moodle.emulator.Records.UserRow;

/**
 * A stateful, in-memory Moodle 4.4 answering the REST web-service protocol on
 * {@code POST|GET /webservice/rest/server.php}, for tests, the demo and the benchmark. Behaviour follows the
 * recorded transcripts of a real Moodle 4.4.3+ (see {@code moodle-4.4-transcripts.json}).
 *
 * <p>Settings are fluent setters, usable before or after {@link #start()}. Thread-safe: each call runs under one
 * site lock (latency is simulated outside it, so parallel clients overlap as with PHP workers).
 */
public final class MoodleEmulator implements AutoCloseable {
    /** The functions of the recorded site's service (transcript case 0), in its order. */
    public static final List<String> TRANSCRIPT_SERVICE_FUNCTIONS = List.of("core_webservice_get_site_info",
            "core_user_create_users", "core_user_update_users", "core_user_get_users_by_field",
            "core_user_delete_users", "core_cohort_create_cohorts", "core_cohort_update_cohorts",
            "core_cohort_search_cohorts", "core_cohort_get_cohorts", "core_cohort_add_cohort_members",
            "core_cohort_delete_cohort_members", "core_cohort_get_cohort_members", "core_cohort_delete_cohorts",
            "core_course_create_courses", "core_course_get_courses_by_field", "core_course_get_categories",
            "core_course_create_categories", "core_course_update_courses", "enrol_manual_enrol_users",
            "enrol_manual_unenrol_users", "core_enrol_get_enrolled_users");
    /** Default service: the recorded one plus core_user_get_users (listing users by auth). No group functions. */
    public static final List<String> DEFAULT_SERVICE_FUNCTIONS;

    static {
        // The JDK server writes headers and body in two segments; with Nagle on, each answer waits for the
        // client's delayed ACK (~40 ms). Read once by the JDK when its first HttpServer is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        List<String> l = new ArrayList<>(TRANSCRIPT_SERVICE_FUNCTIONS);
        l.add(l.indexOf("core_user_get_users_by_field") + 1, "core_user_get_users");
        DEFAULT_SERVICE_FUNCTIONS = List.copyOf(l);
    }

    public static final String PATH = "/webservice/rest/server.php";
    static final String MAINTENANCE_HTML = "<!DOCTYPE html>\n<html><head><title>Site maintenance</title></head>"
            + "<body><h1>Site maintenance</h1><p>This site is undergoing maintenance and is currently not "
            + "available</p></body></html>\n";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Object lock = new Object();
    private final SiteConfig cfg = new SiteConfig();
    private final MoodleSite site;
    private final AdminEdits edits;
    private volatile String token = newToken();
    private volatile Duration latencyPerCall = Duration.ZERO;
    private volatile Duration latencyPerItem = Duration.ZERO;

    private final ConcurrentHashMap<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicLong writeCalls = new AtomicLong();

    private final AtomicInteger maintenanceCalls = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> resetBefore = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> resetAfter = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> holdCalls = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Duration> holdDelay = new ConcurrentHashMap<>();
    /** Injected answers (HTTP errors or Moodle exceptions), by function, consumed one per call. */
    private final ConcurrentHashMap<String, ConcurrentLinkedDeque<Injected>> injected = new ConcurrentHashMap<>();

    /** An injected answer: an HTTP error page, or (status 200) a Moodle exception. */
    private record Injected(int status, String exceptionClass, String errorcode, String message) {
    }
    private volatile Semaphore workers;
    private final AtomicLong heldResponses = new AtomicLong();

    private HttpServer server;
    private ExecutorService executor;
    private volatile CountDownLatch stopLatch = new CountDownLatch(1);

    public MoodleEmulator() {
        cfg.serviceFunctions.addAll(DEFAULT_SERVICE_FUNCTIONS);
        site = new MoodleSite(cfg, "http://127.0.0.1", newToken());
        edits = new AdminEdits(site);
    }

    private static String newToken() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ================================================================== lifecycle

    /** Binds 127.0.0.1 on a free port and starts answering. */
    public MoodleEmulator start() {
        return start(0);
    }

    /** Binds 127.0.0.1 on {@code port} (0 = any free port) and starts answering. */
    public MoodleEmulator start(int port) {
        synchronized (lock) {
            if (server != null) {
                return this;
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
            return this;
        }
    }

    /** Stops the server; held ("timeout after write") responses are released first. */
    public void stop() {
        HttpServer s;
        ExecutorService e;
        synchronized (lock) {
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

    @Override
    public void close() {
        stop();
    }

    /** The site's wwwroot, e.g. {@code http://127.0.0.1:43117} (no trailing slash). */
    public String url() {
        synchronized (lock) {
            if (server == null) {
                throw new IllegalStateException("emulator not started");
            }
            return site.wwwroot;
        }
    }

    /** The full endpoint URL. */
    public String endpoint() {
        return url() + PATH;
    }

    /** The currently valid token (32 hex digits). */
    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "MoodleEmulator[" + (server == null ? "stopped" : site.wwwroot) + "]";
    }

    // ================================================================== settings

    private MoodleEmulator configure(Runnable r) {
        synchronized (lock) {
            r.run();
        }
        return this;
    }

    public MoodleEmulator siteName(String name) {
        return configure(() -> cfg.siteName = name);
    }

    public MoodleEmulator release(String release, String version) {
        return configure(() -> {
            cfg.release = release;
            cfg.version = version;
        });
    }

    public MoodleEmulator allowAccountsSameEmail(boolean allow) {
        return configure(() -> cfg.allowAccountsSameEmail = allow);
    }

    /** PHP max_input_vars (default 5000): form fields past it are dropped silently. */
    public MoodleEmulator maxInputVars(int max) {
        return configure(() -> cfg.maxInputVars = max);
    }

    /** PHP's max_input_vars of the site (5000 on a stock install, as the transcripts were recorded). */
    public int maxInputVars() {
        return cfg.maxInputVars;
    }

    /** Installs an auth plugin; {@code internal} as its is_internal() (manual, nologin: true; cas, oidc: false). */
    public MoodleEmulator authPlugin(String name, boolean internal) {
        return configure(() -> cfg.auths.put(name, internal));
    }

    public Set<String> authPlugins() {
        synchronized (lock) {
            return Set.copyOf(cfg.auths.keySet());
        }
    }

    /** Installed language packs (default: en only). */
    public MoodleEmulator languages(String... langs) {
        return configure(() -> {
            cfg.languages.clear();
            cfg.languages.addAll(List.of(langs));
            cfg.languages.add("en");
        });
    }

    /** Makes a user profile field exist (e.g. {@code netypareo_usertype}); unknown ones are ignored on write. */
    public MoodleEmulator profileField(String shortname) {
        return profileField(shortname, shortname);
    }

    public MoodleEmulator profileField(String shortname, String displayName) {
        return configure(() -> cfg.profileFields.put(shortname, displayName));
    }

    /** Deletes a user profile field, as an administrator would: every user's value of it goes with it. */
    public MoodleEmulator removeProfileField(String shortname) {
        return configure(() -> {
            cfg.profileFields.remove(shortname);
            edits.dropProfileFieldValues(shortname);
        });
    }

    /**
     * Not stock Moodle: a site with a plugin or event observer that lower-cases every e-mail as it is stored, so
     * what is read back differs from what was written (for the tests of fields a site silently normalises).
     */
    public MoodleEmulator lowerCaseEmails(boolean on) {
        return configure(() -> cfg.lowerCaseEmails = on);
    }

    /** Makes a cohort custom field exist (Moodle 4.2+), e.g. to tag cohorts owned by the sync. */
    public MoodleEmulator cohortField(String shortname, String displayName) {
        return configure(() -> cfg.cohortFields.put(shortname, displayName));
    }

    /** Replaces the functions of the token's service. */
    public MoodleEmulator serviceFunctions(Collection<String> functions) {
        return configure(() -> {
            cfg.serviceFunctions.clear();
            cfg.serviceFunctions.addAll(functions);
        });
    }

    public MoodleEmulator removeServiceFunction(String function) {
        return configure(() -> cfg.serviceFunctions.remove(function));
    }

    public List<String> serviceFunctions() {
        synchronized (lock) {
            return List.copyOf(cfg.serviceFunctions);
        }
    }

    /** Default on: 8 characters, a digit, a lower- and an upper-case letter, a special character. */
    public MoodleEmulator passwordPolicy(boolean on) {
        return configure(() -> cfg.passwordPolicy = on);
    }

    /** Developer debug: error answers then carry a {@code debuginfo} (off on the recorded site). */
    public MoodleEmulator debug(boolean on) {
        return configure(() -> cfg.debug = on);
    }

    /** Added to every call (benchmark). */
    public MoodleEmulator latencyPerCall(Duration d) {
        latencyPerCall = d;
        return this;
    }

    /** Added per row written by a call (benchmark). */
    public MoodleEmulator latencyPerItem(Duration d) {
        latencyPerItem = d;
        return this;
    }

    // ================================================================== fault injection

    /** Issues a new token; the old one becomes invalid ({@code invalidtoken}). Returns the new token. */
    public String rotateToken() {
        synchronized (lock) {
            token = newToken();
            revoked = false;
            return token;
        }
    }

    /** Sets the valid token (e.g. a fixed one for the demo's configuration). */
    public MoodleEmulator useToken(String newToken) {
        synchronized (lock) {
            token = newToken;
            revoked = false;
        }
        return this;
    }

    /** Invalidates the current token; {@link #token()} keeps returning it, and it fails until rotated. */
    public void revokeToken() {
        synchronized (lock) {
            revoked = true;
        }
    }

    private volatile boolean revoked;

    /** The next {@code n} calls (any function) get HTTP 503 with Moodle's HTML maintenance page. */
    public void maintenanceForNextCalls(int n) {
        maintenanceCalls.set(n);
    }

    /**
     * The next {@code n} calls of {@code function} ("*" = any) are applied, then the response is held for
     * {@code hold} (or until {@link #stop()}) before it is sent: a client with a shorter timeout gives up on a
     * write that did happen.
     */
    public void timeoutAfterWrite(String function, int n, Duration hold) {
        holdDelay.put(function, hold);
        holdCalls.put(function, new AtomicInteger(n));
    }

    /** The next {@code n} calls of {@code function} ("*" = any): connection closed with no response, nothing applied. */
    public void resetConnectionBeforeProcessing(String function, int n) {
        resetBefore.put(function, new AtomicInteger(n));
    }

    /** The next {@code n} calls of {@code function} ("*" = any): applied, then the connection is closed unanswered. */
    public void resetConnectionAfterProcessing(String function, int n) {
        resetAfter.put(function, new AtomicInteger(n));
    }

    /**
     * The next {@code n} calls of {@code function} ("*" = any) get HTTP {@code status} with an HTML body (e.g. 502
     * from a proxy, 500 from a PHP fatal error); nothing is applied.
     */
    public void httpErrorForNextCalls(String function, int n, int status) {
        for (int i = 0; i < n; i++) {
            injected.computeIfAbsent(function, k -> new ConcurrentLinkedDeque<>())
                    .add(new Injected(status, null, null, null));
        }
    }

    /**
     * The next {@code n} calls of {@code function} ("*" = any) answer HTTP 200 with this Moodle exception (in the
     * requested format) instead of running; e.g. {@code ("dml_write_exception", "dmlwriteexception",
     * "Error writing to database")}.
     */
    public void moodleErrorForNextCalls(String function, int n, String exceptionClass, String errorcode,
                                        String message) {
        for (int i = 0; i < n; i++) {
            injected.computeIfAbsent(function, k -> new ConcurrentLinkedDeque<>())
                    .add(new Injected(200, exceptionClass, errorcode, message));
        }
    }

    private Answer takeInjected(String function, boolean json) {
        for (String key : new String[]{function, "*"}) {
            ConcurrentLinkedDeque<Injected> q = injected.get(key);
            Injected a = q == null ? null : q.poll();
            if (a != null) {
                if (a.exceptionClass() == null) {
                    String html = "<html><head><title>" + a.status() + "</title></head><body><h1>" + a.status()
                            + "</h1></body></html>\n";
                    return new Answer(a.status(), "text/html; charset=utf-8", html, 0, false);
                }
                WsException e = new WsException(a.exceptionClass(), a.errorcode(), a.message(), null);
                return new Answer(200, contentType(json), json ? Output.jsonError(e, false) : Output.xmlError(e, false),
                        0, false);
            }
        }
        return null;
    }

    /**
     * At most {@code n} calls in progress at once (0 = no limit), like the PHP workers behind a real site: the
     * others wait for a free worker. Latency is spent inside a worker.
     */
    public MoodleEmulator workers(int n) {
        workers = n <= 0 ? null : new Semaphore(n, true);
        return this;
    }

    /** Clears every pending fault (not the token state). */
    public void clearFaults() {
        injected.clear();
        maintenanceCalls.set(0);
        resetBefore.clear();
        resetAfter.clear();
        holdCalls.clear();
        holdDelay.clear();
    }

    /** How many responses were held by {@link #timeoutAfterWrite}. */
    public long heldResponses() {
        return heldResponses.get();
    }

    private static boolean take(Map<String, AtomicInteger> faults, String function) {
        for (String key : new String[]{function, "*"}) {
            AtomicInteger n = faults.get(key);
            if (n != null && n.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0) {
                return true;
            }
        }
        return false;
    }

    private Duration takeHold(String function) {
        for (String key : new String[]{function, "*"}) {
            AtomicInteger n = holdCalls.get(key);
            if (n != null && n.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0) {
                return holdDelay.get(key);
            }
        }
        return null;
    }

    // ================================================================== counters

    /** Requests received naming {@code function} (whatever their outcome, faults included). */
    public long calls(String function) {
        AtomicLong n = calls.get(function);
        return n == null ? 0 : n.get();
    }

    public Map<String, Long> callsByFunction() {
        Map<String, Long> m = new LinkedHashMap<>();
        calls.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public long totalCalls() {
        return calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Requests received for functions that write (create/update/delete/add/remove/enrol/unenrol). */
    public long totalWriteCalls() {
        return writeCalls.get();
    }

    /** Rows written by committed calls, all kinds. */
    public long itemsWritten() {
        synchronized (lock) {
            return site.db.committed.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Rows written by committed calls of one kind: created, updated, deleted, added, removed, enrolled, unenrolled. */
    public long itemsWritten(String kind) {
        synchronized (lock) {
            return site.db.committed.getOrDefault(kind, 0L);
        }
    }

    /** Rows of one kind written by committed calls of one function. */
    public long itemsWritten(String function, String kind) {
        synchronized (lock) {
            return site.db.committedByFunction.getOrDefault(function, Map.of()).getOrDefault(kind, 0L);
        }
    }

    public void resetCounters() {
        calls.clear();
        writeCalls.set(0);
        synchronized (lock) {
            site.db.committed.clear();
            site.db.committedByFunction.clear();
        }
    }

    // ================================================================== state for tests

    private <T> T read(Supplier<T> s) {
        synchronized (lock) {
            return s.get();
        }
    }

    /** Every user row, by id: guest (1), admin (2), then created users; deleted ones have {@code deleted=true}. */
    public List<MoodleUser> users() {
        return read(() -> site.db.users.values().stream().map(AdminEdits::view).toList());
    }

    public Optional<MoodleUser> user(long id) {
        return read(() -> Optional.ofNullable(site.db.users.get(id)).map(AdminEdits::view));
    }

    public Optional<MoodleUser> userByUsername(String username) {
        return read(() -> Optional.ofNullable(site.db.userByUsername(username)).map(AdminEdits::view));
    }

    /** Non-deleted users with this idnumber (idnumbers are not unique in Moodle). */
    public List<MoodleUser> usersByIdnumber(String idnumber) {
        return read(() -> site.db.users.values().stream().filter(u -> !u.deleted && u.idnumber.equals(idnumber))
                .map(AdminEdits::view).toList());
    }

    /** Cohorts by id. */
    public List<MoodleCohort> cohorts() {
        return read(() -> site.db.cohorts.values().stream().sorted((a, b) -> Long.compare(a.id, b.id))
                .map(edits::view).toList());
    }

    public Optional<MoodleCohort> cohort(long id) {
        return read(() -> Optional.ofNullable(site.db.cohorts.get(id)).map(edits::view));
    }

    public List<MoodleCohort> cohortsByIdnumber(String idnumber) {
        return read(() -> site.db.cohorts.values().stream().filter(c -> c.idnumber.equals(idnumber))
                .sorted((a, b) -> Long.compare(a.id, b.id)).map(edits::view).toList());
    }

    /** Member user ids of a cohort, ascending (empty if the cohort does not exist). */
    public Set<Long> members(long cohortId) {
        return read(() -> new TreeSet<>(site.db.members.getOrDefault(cohortId, new LinkedHashMap<>()).keySet()));
    }

    /** User ids with a manual enrolment in the course, ascending. */
    public Set<Long> enrolledUserIds(long courseId) {
        return read(() -> new TreeSet<>(site.db.enrolments.getOrDefault(courseId, new LinkedHashMap<>()).keySet()));
    }

    /** The manual enrolments of a course, by user id. */
    public List<MoodleEnrolment> enrolments(long courseId) {
        return read(() -> site.db.enrolments.getOrDefault(courseId, new LinkedHashMap<>()).values().stream()
                .sorted((a, b) -> Long.compare(a.userId, b.userId))
                .map(e -> new MoodleEnrolment(e.courseId, e.userId, e.timestart, e.timeend, e.status != 0, e.roles))
                .toList());
    }

    /** Creates a user as an admin would by hand (no WS checks; ids from the same sequence). Returns its id. */
    public long createUser(String username, String firstname, String lastname, String email, String idnumber,
                           String auth) {
        synchronized (lock) {
            return edits.createUser(username, firstname, lastname, email, idnumber, auth);
        }
    }

    /** Edits a user as an admin would in the UI (no WS checks, no counters). */
    public void editUser(long id, UnaryOperator<MoodleUser> change) {
        synchronized (lock) {
            edits.editUser(id, change);
        }
    }

    /** Deletes a user as an admin would (Moodle's soft delete). */
    public void deleteUser(long id) {
        synchronized (lock) {
            UserRow u = site.db.users.get(id);
            if (u == null || u.deleted) throw new IllegalArgumentException("no user " + id);
            site.users.deleteUser(u);
        }
    }

    /** Creates a cohort in the system context by hand. Returns its id. */
    public long createCohort(String idnumber, String name) {
        return createCohort(idnumber, name, null);
    }

    /** Creates a cohort by hand in a category's context ({@code categoryId} null = system). */
    public long createCohort(String idnumber, String name, Long categoryId) {
        synchronized (lock) {
            return edits.createCohort(idnumber, name, categoryId);
        }
    }

    public void editCohort(long id, UnaryOperator<MoodleCohort> change) {
        synchronized (lock) {
            edits.editCohort(id, change);
        }
    }

    public void deleteCohort(long id) {
        synchronized (lock) {
            site.db.removeCohort(id);
        }
    }

    public void addMember(long cohortId, long userId) {
        synchronized (lock) {
            edits.addMember(cohortId, userId);
        }
    }

    public void removeMember(long cohortId, long userId) {
        synchronized (lock) {
            site.db.removeMember(cohortId, userId);
        }
    }

    /** Creates a top-level course category by hand. Returns its id. */
    public long createCategory(String name, String idnumber) {
        synchronized (lock) {
            return edits.createCategory(name, idnumber);
        }
    }

    /** Creates a course by hand (with an enabled manual enrolment instance). Returns its id. */
    public long createCourse(String shortname, String fullname, long categoryId, String idnumber) {
        synchronized (lock) {
            return edits.createCourse(shortname, fullname, categoryId, idnumber);
        }
    }

    /** Enables or disables the manual enrolment instance of a course (disabled: enrol gives wsnoinstance). */
    public void manualEnrolEnabled(long courseId, boolean enabled) {
        synchronized (lock) {
            edits.manualEnrolEnabled(courseId, enabled);
        }
    }

    // ================================================================== HTTP

    /** What one call produced. */
    record Answer(int status, String contentType, String body, int items, boolean applied) {
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = ex.getRequestURI().getPath();
            if (!PATH.equals(path)) {
                send(ex, new Answer(404, "text/html; charset=utf-8", "<html><body>Not found</body></html>", 0,
                        false));
                return;
            }
            Request req = parse(ex.getRequestMethod(), ex.getRequestURI().getRawQuery(),
                    ex.getRequestHeaders().getFirst("Content-Type"), body);
            String fn = req.functionName();
            calls.computeIfAbsent(fn == null ? "" : fn, k -> new AtomicLong()).incrementAndGet();
            MoodleSite.Fn def = fn == null ? null : site.functions.get(fn);
            if (def != null && def.write()) {
                writeCalls.incrementAndGet();
            }
            String key = fn == null ? "" : fn;
            if (maintenanceCalls.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0) {
                ex.getResponseHeaders().add("Retry-After", "300");
                send(ex, new Answer(503, "text/html; charset=utf-8", MAINTENANCE_HTML, 0, false));
                return;
            }
            if (take(resetBefore, key)) {
                return; // closing the exchange before any header is sent drops the connection
            }
            Semaphore pool = workers;
            Answer answer;
            try {
                if (pool != null) {
                    pool.acquire();
                }
                try {
                    answer = takeInjected(key, req.json());
                    if (answer == null) {
                        answer = process(req);
                    }
                    long pause = latencyPerCall.toNanos() + latencyPerItem.toNanos() * answer.items();
                    if (pause > 0) {
                        TimeUnit.NANOSECONDS.sleep(pause);
                    }
                } finally {
                    if (pool != null) {
                        pool.release();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (take(resetAfter, key)) {
                return;
            }
            Duration hold = takeHold(key);
            if (hold != null) {
                heldResponses.incrementAndGet();
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

    /** The request after PHP has built $_GET/$_POST and the REST server took out its own fields. */
    record Request(Map<String, Object> params, Object token, Object function, boolean json,
                   boolean truncated) {
        String functionName() {
            return function instanceof String s ? s : null;
        }
    }

    Request parse(String method, String rawQuery, String contentType, byte[] body) {
        int max = cfg.maxInputVars;
        PhpForm.Parsed get = PhpForm.parse(rawQuery, max, PhpForm.Source.QUERY);
        Map<String, Object> merged = new LinkedHashMap<>(get.vars());
        boolean truncated = get.truncated();
        // PHP fills $_POST only for form content types; a JSON or text body is ignored.
        if ("POST".equalsIgnoreCase(method) && contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            PhpForm.Parsed post = PhpForm.parse(new String(body, StandardCharsets.UTF_8), max,
                    PhpForm.Source.POST_BODY);
            merged.putAll(post.vars());
            truncated |= post.truncated();
        }
        merged.keySet().removeIf(k -> k.startsWith("moodlewssetting"));
        Object format = merged.remove("moodlewsrestformat");
        boolean json = "json".equals(format);
        Object tok = merged.remove("wstoken");
        Object fn = merged.remove("wsfunction");
        return new Request(merged, tok, fn, json, truncated);
    }

    Answer process(Request req) {
        synchronized (lock) {
            State db = site.db;
            db.workItems = 0;
            try {
                if (!(req.token() instanceof String t) || revoked || !t.equals(token)) {
                    throw WsException.invalidToken();
                }
                Object fnObj = req.function();
                if (fnObj == null || (fnObj instanceof String s && WsValues.empty(s))) {
                    throw WsException.invalidParameter("Missing function name");
                }
                String fn = fnObj instanceof String s ? s : String.valueOf(fnObj);
                if (!site.functionExists(fn)) {
                    throw WsException.missingRecord("external_functions");
                }
                if (!cfg.serviceFunctions.contains(fn)) {
                    throw WsException.accessException();
                }
                MoodleSite.Fn def = site.functions.get(fn);
                if (def == null) {
                    throw WsException.coding("function " + fn + " is not emulated");
                }
                Map<String, Object> params = def.params().validate(req.params(), cfg);
                db.currentFunction = fn;
                Object result = def.handler().apply(params);
                String body;
                if (req.json()) {
                    body = def.isVoid() ? "null" : Output.json(result);
                } else {
                    body = Output.xmlResponse(result, def.isVoid());
                }
                return new Answer(200, contentType(req.json()), body, db.workItems, true);
            } catch (WsException e) {
                String body = req.json() ? Output.jsonError(e, cfg.debug) : Output.xmlError(e, cfg.debug);
                return new Answer(200, contentType(req.json()), body, db.workItems, false);
            } catch (RuntimeException e) {
                // An emulator bug: answer like a PHP fatal error rather than dropping the connection.
                return new Answer(500, "text/html; charset=utf-8",
                        "<br />\n<b>Fatal error</b>:  " + Output.escape(String.valueOf(e)) + "<br />\n", 0, false);
            } finally {
                db.currentFunction = "";
            }
        }
    }

    private static String contentType(boolean json) {
        return json ? "application/json; charset=utf-8" : "application/xml; charset=utf-8";
    }
}
