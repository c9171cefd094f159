package org.ypsync.moodle.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stateful, in-memory Moodle 4.4 answering the REST web-service protocol on
 * {@code POST|GET /webservice/rest/server.php}, for tests, the demo and the benchmark. Behaviour follows the
 * recorded transcripts of a real Moodle 4.4.3+ (see {@code moodle-4.4-transcripts.json}).
 *
 * <p>Settings are fluent setters, usable before or after {@link #start()}. Thread-safe: each call runs under one
 * site lock (latency is simulated outside it, so parallel clients overlap as with PHP workers). The HTTP side is
 * {@link HttpFront}'s, what server.php does with a request {@link RestServer}'s, the injected faults {@link Faults}';
 * this class holds the settings and the counters; the state tests read and edit by hand is {@link MoodleSiteState}'s.
 */
public final class MoodleEmulator extends MoodleSiteState implements AutoCloseable {
    /** The functions of the recorded site's service (transcript case 0), in its order. */
    public static final List<String> TRANSCRIPT_SERVICE_FUNCTIONS = List.of("core_webservice_get_site_info",
            "core_user_create_users", "core_user_update_users", "core_user_get_users_by_field",
            "core_user_delete_users", "core_cohort_create_cohorts", "core_cohort_update_cohorts",
            "core_cohort_search_cohorts", "core_cohort_get_cohorts", "core_cohort_add_cohort_members",
            "core_cohort_delete_cohort_members", "core_cohort_get_cohort_members", "core_cohort_delete_cohorts",
            "core_course_create_courses", "core_course_get_courses_by_field", "core_course_get_categories",
            "core_course_create_categories", "core_course_update_courses", "enrol_manual_enrol_users",
            "enrol_manual_unenrol_users", "core_enrol_get_enrolled_users");
    /**
     * Default service: the recorded one plus core_user_get_users (listing users by auth) and
     * core_course_duplicate_course (a course copied from a template). No group functions.
     */
    public static final List<String> DEFAULT_SERVICE_FUNCTIONS;

    static {
        List<String> l = new ArrayList<>(TRANSCRIPT_SERVICE_FUNCTIONS);
        l.add(l.indexOf("core_user_get_users_by_field") + 1, "core_user_get_users");
        l.add(l.indexOf("core_course_update_courses") + 1, "core_course_duplicate_course");
        DEFAULT_SERVICE_FUNCTIONS = List.copyOf(l);
    }

    public static final String PATH = "/webservice/rest/server.php";

    private final Faults faults = new Faults();
    private final RestServer rest;
    private final HttpFront front;

    public MoodleEmulator() {
        super(DEFAULT_SERVICE_FUNCTIONS);
        rest = new RestServer(lock, site);
        front = new HttpFront(site, faults, rest::process);
    }

    // ================================================================== lifecycle

    /** Binds 127.0.0.1 on a free port and starts answering. */
    public MoodleEmulator start() {
        return start(0);
    }

    /** Binds 127.0.0.1 on {@code port} (0 = any free port) and starts answering. */
    public MoodleEmulator start(int port) {
        front.start(port);
        return this;
    }

    /** Stops the server; held ("timeout after write") responses are released first. */
    public void stop() {
        front.stop();
    }

    @Override
    public void close() {
        stop();
    }

    /** The site's wwwroot, e.g. {@code http://127.0.0.1:43117} (no trailing slash). */
    public String url() {
        if (!front.started()) {
            throw new IllegalStateException("emulator not started");
        }
        return site.wwwroot;
    }

    /** The full endpoint URL. */
    public String endpoint() {
        return url() + PATH;
    }

    /** The currently valid token (32 hex digits). */
    public String token() {
        return rest.token();
    }

    @Override
    public String toString() {
        return "MoodleEmulator[" + (front.started() ? site.wwwroot : "stopped") + "]";
    }

    // ================================================================== settings

    private MoodleEmulator configure(Runnable r) {
        edit(r);
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
        front.latencyPerCall(d);
        return this;
    }

    /** Added per row written by a call (benchmark). */
    public MoodleEmulator latencyPerItem(Duration d) {
        front.latencyPerItem(d);
        return this;
    }

    /**
     * At most {@code n} calls in progress at once (0 = no limit), like the PHP workers behind a real site: the
     * others wait for a free worker. Latency is spent inside a worker.
     */
    public MoodleEmulator workers(int n) {
        front.workers(n);
        return this;
    }

    // ================================================================== fault injection

    /** Issues a new token; the old one becomes invalid ({@code invalidtoken}). Returns the new token. */
    public String rotateToken() {
        String token = RestServer.newToken();
        rest.useToken(token);
        return token;
    }

    /** Sets the valid token (e.g. a fixed one for the demo's configuration). */
    public MoodleEmulator useToken(String newToken) {
        rest.useToken(newToken);
        return this;
    }

    /** Invalidates the current token; {@link #token()} keeps returning it, and it fails until rotated. */
    public void revokeToken() {
        rest.revokeToken();
    }

    /** The next {@code n} calls (any function) get HTTP 503 with Moodle's HTML maintenance page. */
    public void maintenanceForNextCalls(int n) {
        faults.maintenanceForNextCalls(n);
    }

    /**
     * The next {@code n} calls of {@code function} ("*" = any) are applied, then the response is held for
     * {@code hold} (or until {@link #stop()}) before it is sent: a client with a shorter timeout gives up on a
     * write that did happen.
     */
    public void timeoutAfterWrite(String function, int n, Duration hold) {
        faults.timeoutAfterWrite(function, n, hold);
    }

    /** The next {@code n} calls of {@code function} ("*" = any): connection closed with no response, nothing applied. */
    public void resetConnectionBeforeProcessing(String function, int n) {
        faults.resetBeforeProcessing(function, n);
    }

    /** The next {@code n} calls of {@code function} ("*" = any): applied, then the connection is closed unanswered. */
    public void resetConnectionAfterProcessing(String function, int n) {
        faults.resetAfterProcessing(function, n);
    }

    /**
     * The next {@code n} calls of {@code function} ("*" = any) get HTTP {@code status} with an HTML body (e.g. 502
     * from a proxy, 500 from a PHP fatal error); nothing is applied.
     */
    public void httpErrorForNextCalls(String function, int n, int status) {
        faults.httpError(function, n, status);
    }

    /**
     * The next {@code n} calls of {@code function} ("*" = any) answer HTTP 200 with this Moodle exception (in the
     * requested format) instead of running; e.g. {@code ("dml_write_exception", "dmlwriteexception",
     * "Error writing to database")}.
     */
    public void moodleErrorForNextCalls(String function, int n, String exceptionClass, String errorcode,
                                        String message) {
        faults.moodleError(function, n, exceptionClass, errorcode, message);
    }

    /** Clears every pending fault (not the token state). */
    public void clearFaults() {
        faults.clear();
    }

    /** How many responses were held by {@link #timeoutAfterWrite}. */
    public long heldResponses() {
        return faults.heldResponses();
    }

    // ================================================================== counters

    /** Requests received naming {@code function} (whatever their outcome, faults included). */
    public long calls(String function) {
        return front.calls(function);
    }

    public Map<String, Long> callsByFunction() {
        return front.callsByFunction();
    }

    public long totalCalls() {
        return front.totalCalls();
    }

    /** Requests received for functions that write (create/update/delete/add/remove/enrol/unenrol). */
    public long totalWriteCalls() {
        return front.totalWriteCalls();
    }

    /** Rows written by committed calls, all kinds. */
    public long itemsWritten() {
        return locked(() -> site.db.committed.values().stream().mapToLong(Long::longValue).sum());
    }

    /** Rows written by committed calls of one kind: created, updated, deleted, added, removed, enrolled, unenrolled. */
    public long itemsWritten(String kind) {
        return locked(() -> site.db.committed.getOrDefault(kind, 0L));
    }

    /** Rows of one kind written by committed calls of one function. */
    public long itemsWritten(String function, String kind) {
        return locked(() -> site.db.committedByFunction.getOrDefault(function, Map.of()).getOrDefault(kind, 0L));
    }

    public void resetCounters() {
        front.resetCounters();
        synchronized (lock) {
            site.db.committed.clear();
            site.db.committedByFunction.clear();
        }
    }
}
