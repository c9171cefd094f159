package org.ypsync.moodle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Client of Moodle's REST web services (legacy protocol, {@code /webservice/rest/server.php}).
 *
 * <p>{@link #call} is the raw call: POST of form fields with {@code wstoken}, {@code wsfunction},
 * {@code moodlewsrestformat=json}, {@code moodlewssettinglang=en}. Errors are recognised by shape (a JSON object
 * with an {@code exception} key, whatever the HTTP status) and classified by errorcode into
 * {@link MoodleFatalException} (after which this client refuses every further call),
 * {@link MoodleRecordException} and {@link MoodleTransientException} (retried with exponential backoff).
 *
 * <p>The typed operations take one batch each and answer a {@link BatchResult} with one outcome per record:
 * records are pre-validated, batches cut to the form-field budget, all-or-nothing failures bisected down to the
 * bad records, and a create that may have been executed before a transient failure is settled by a look-up
 * before anything is written again. They throw only {@link MoodleFatalException} (and
 * {@link IllegalArgumentException} for a null batch).
 *
 * <p>Thread-safe. The token never appears in a log line, exception or toString.
 */
public class MoodleClient {

    private static final Logger LOG = LoggerFactory.getLogger(MoodleClient.class);

    public static final String CREATE_USERS = "core_user_create_users";
    public static final String UPDATE_USERS = "core_user_update_users";
    public static final String GET_USERS_BY_FIELD = "core_user_get_users_by_field";
    public static final String CREATE_COHORTS = "core_cohort_create_cohorts";
    public static final String UPDATE_COHORTS = "core_cohort_update_cohorts";
    public static final String GET_COHORTS = "core_cohort_get_cohorts";
    public static final String GET_COHORT_MEMBERS = "core_cohort_get_cohort_members";
    public static final String ADD_COHORT_MEMBERS = "core_cohort_add_cohort_members";
    public static final String DELETE_COHORT_MEMBERS = "core_cohort_delete_cohort_members";
    public static final String SITE_INFO = "core_webservice_get_site_info";

    /** Functions the client uses itself (for the pre-flight check). */
    public static final Set<String> FUNCTIONS = Set.of(CREATE_USERS, UPDATE_USERS, GET_USERS_BY_FIELD,
            CREATE_COHORTS, UPDATE_COHORTS, GET_COHORTS, GET_COHORT_MEMBERS, ADD_COHORT_MEMBERS,
            DELETE_COHORT_MEMBERS, SITE_INFO);

    /** The write functions whose records go out in batches, each with its own record cap (MoodleSettings). */
    public static final List<String> BATCHED_WRITES = List.of(CREATE_USERS, UPDATE_USERS, CREATE_COHORTS,
            UPDATE_COHORTS, ADD_COHORT_MEMBERS, DELETE_COHORT_MEMBERS);

    /** Writes that are not idempotent: never re-sent blindly after the request may have been executed. */
    static final Set<String> NON_IDEMPOTENT = Set.of(CREATE_USERS, CREATE_COHORTS, "core_course_create_courses",
            "core_course_create_categories", "core_group_create_groups");

    static final Set<String> USER_LOOKUP_FIELDS = Set.of("id", "idnumber", "username", "email");

    /** Pauses between attempts; replaceable so unit tests do not wait. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper THREAD = d -> Thread.sleep(d.toMillis());

        void sleep(Duration d) throws InterruptedException;
    }

    private final MoodleSettings settings;
    private final MoodleTransport transport;
    private final Sleeper sleeper;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong requests = new AtomicLong();
    private volatile MoodleFatalException fatal;

    public MoodleClient(MoodleSettings settings, MoodleTransport transport) {
        this(settings, transport, Sleeper.THREAD);
    }

    public MoodleClient(MoodleSettings settings, MoodleTransport transport, Sleeper sleeper) {
        this.settings = settings;
        this.transport = transport;
        this.sleeper = sleeper;
    }

    /** A new client with the same settings and transport (this one was stopped by a fatal error). */
    public MoodleClient renewed() {
        return new MoodleClient(settings, transport, sleeper);
    }

    public MoodleSettings settings() {
        return settings;
    }

    /** HTTP requests sent since this client was made. */
    public long requestCount() {
        return requests.get();
    }

    /** The fatal error that stopped this client, if any. */
    public Optional<MoodleFatalException> fatalError() {
        return Optional.ofNullable(fatal);
    }

    public boolean isStopped() {
        return fatal != null;
    }

    @Override
    public String toString() {
        return "MoodleClient[" + settings.url() + (fatal == null ? "" : ", stopped: " + fatal.errorcode()) + "]";
    }

    // ====================================================================================== raw calls

    /** Counts the HTTP requests of one operation. */
    static final class Calls {
        int n;
    }

    /**
     * Calls a web-service function and answers its JSON ({@link NullNode} for void functions). Transient failures
     * are retried with exponential backoff up to {@code retryMaxAttempts}, except for non-idempotent creates once
     * the request may have been executed (use the typed operations for those).
     *
     * @throws MoodleFatalException     token/service/site refuses work, or the answer is not JSON; also thrown
     *                                  without any request once the client has stopped
     * @throws MoodleRecordException    Moodle refused the data
     * @throws MoodleTransientException the failure outlasted the retries
     * @throws IllegalArgumentException the request would exceed the form-field budget
     */
    public JsonNode call(String function, Map<String, ?> params) {
        return call(function, params, new Calls());
    }

    private JsonNode call(String function, Map<String, ?> params, Calls calls) {
        int max = settings.retryMaxAttempts();
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(function, params, calls);
            } catch (MoodleTransientException t) {
                boolean unsafe = NON_IDEMPOTENT.contains(function) && t.mayHaveWritten();
                if (attempt >= max || unsafe || Thread.currentThread().isInterrupted()) {
                    throw t;
                }
                pause(function, attempt, t);
            }
        }
    }

    private void pause(String function, int attempt, MoodleTransientException t) {
        Duration d = settings.backoff(attempt);
        LOG.warn("Moodle {} attempt {}/{} failed: {}; retrying in {} ms", function, attempt,
                settings.retryMaxAttempts(), t.errorcode(), d.toMillis());
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MoodleTransientException(function, "interrupted", "interrupted while waiting to retry",
                    false, e);
        }
    }

    /** Exactly one HTTP request. */
    private JsonNode attempt(String function, Map<String, ?> params, Calls calls) {
        MoodleFatalException stopped = fatal;
        if (stopped != null) {
            throw new MoodleFatalException(function, stopped.errorcode(),
                    "client stopped after a fatal error in " + stopped.function() + "; no call sent");
        }
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        pairs.add(new SimpleImmutableEntry<>("wstoken", settings.token()));
        pairs.add(new SimpleImmutableEntry<>("wsfunction", function));
        pairs.add(new SimpleImmutableEntry<>("moodlewsrestformat", "json"));
        pairs.add(new SimpleImmutableEntry<>("moodlewssettinglang", "en"));
        pairs.addAll(FormEncoder.flatten(params));
        if (pairs.size() > settings.fieldBudget()) {
            throw new IllegalArgumentException("Moodle " + function + ": " + pairs.size()
                    + " form fields exceed the budget of " + settings.fieldBudget()
                    + " (PHP would silently drop the rest)");
        }
        String body = FormEncoder.encode(pairs);
        calls.n++;
        requests.incrementAndGet();
        long start = System.nanoTime();
        MoodleTransport.Reply reply;
        try {
            reply = transport.post(body);
        } catch (MoodleTransport.Timeout e) {
            throw e.connecting() ? transientFailure(function, "connecttimeout", "connect timed out", false, e)
                    : transientFailure(function, "timeout", "no answer within " + settings.readTimeout(), true, e);
        } catch (ConnectException e) {
            throw transientFailure(function, "connectfailed", "connection refused or unreachable", false, e);
        } catch (IOException e) {
            throw transientFailure(function, "ioerror", e.getClass().getSimpleName() + " during the exchange",
                    true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MoodleTransientException(function, "interrupted", "interrupted", true, e);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        LOG.debug("Moodle {}: HTTP {}, {} fields, {} ms", function, reply.status(), pairs.size(), ms);
        return interpret(function, reply);
    }

    private MoodleTransientException transientFailure(String function, String code, String message,
                                                      boolean mayHaveWritten, Throwable cause) {
        LOG.warn("Moodle {} failed: {} ({})", function, code, message);
        return new MoodleTransientException(function, code, message, mayHaveWritten, cause);
    }

    /** Success or error by the shape of the answer. */
    JsonNode interpret(String function, MoodleTransport.Reply reply) {
        String body = reply.body() == null ? "" : reply.body().strip();
        JsonNode node = null;
        if (!body.isEmpty()) {
            try {
                node = mapper.readTree(body);
            } catch (JsonProcessingException e) {
                node = null;
            }
        }
        if (node != null && node.isObject() && node.has("exception")) {
            String code = node.path("errorcode").asText("");
            String message = node.path("message").isMissingNode() ? null : node.path("message").asText();
            String debug = node.path("debuginfo").isMissingNode() ? null : node.path("debuginfo").asText();
            MoodleException e = MoodleErrors.toException(function, code, message, debug);
            return failWith(e);
        }
        int status = reply.status();
        if (status != 200) {
            if (MoodleErrors.classifyStatus(status) == MoodleErrors.Kind.TRANSIENT) {
                throw transientFailure(function, "http" + status, "HTTP " + status,
                        MoodleErrors.statusMayHaveWritten(status), null);
            }
            return failWith(new MoodleFatalException(function, "http" + status, "HTTP " + status));
        }
        if (node == null) {
            return failWith(new MoodleFatalException(function, "nonjsonresponse",
                    "HTTP 200 without a JSON body (" + body.length() + " chars)"));
        }
        return node;
    }

    private JsonNode failWith(MoodleException e) {
        if (e instanceof MoodleFatalException f) {
            stop(f);
        } else {
            LOG.debug("Moodle {} refused: {} ({})", e.function(), e.errorcode(), e.moodleMessage());
        }
        throw e;
    }

    private void stop(MoodleFatalException f) {
        if (fatal == null) {
            fatal = f;
        }
        LOG.error("Moodle {} fatal error: {} ({}); the client refuses further calls", f.function(), f.errorcode(),
                f.moodleMessage());
    }

    private MoodleFatalException unexpected(String function, String what) {
        MoodleFatalException f = new MoodleFatalException(function, "unexpectedresponse", what);
        stop(f);
        return f;
    }

    // ====================================================================================== batch machinery

    /** Outcomes by index while a batch is worked on. */
    private static final class Slots {
        final List<Map<String, Object>> records;
        final BatchResult.Outcome[] outcomes;
        final Calls calls = new Calls();

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
    private interface Settler {
        boolean settle(List<Integer> sent, JsonNode answer, Slots slots);
    }

    /** Finds which records of a possibly executed create exist in Moodle: index to the JSON result to record. */
    @FunctionalInterface
    private interface Recovery {
        Map<Integer, JsonNode> lookup(List<Integer> sent, Slots slots);
    }

    private record Op(String function, String listKey, Settler settler, Recovery recovery,
                      Function<Map<String, Object>, Map<String, Object>> wire) {
        Op(String function, String listKey, Settler settler, Recovery recovery) {
            this(function, listKey, settler, recovery, Function.identity());
        }

        boolean idempotent() {
            return !NON_IDEMPOTENT.contains(function);
        }
    }

    /** Pre-validation result: indices to send. */
    private List<Integer> prevalidate(Slots slots, Function<Map<String, Object>, Optional<MoodleRecordRules.Violation>> rule,
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

    private BatchResult runBatch(Op op, Slots slots, List<Integer> valid) {
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
        List<Map<String, Object>> list = new ArrayList<>(idx.size());
        for (int i : idx) {
            list.add(op.wire().apply(slots.record(i)));
        }
        return Map.of(op.listKey(), list);
    }

    /**
     * Sends one group. Record-level refusal: bisect until single records carry Moodle's errorcode. Transient
     * failure: idempotent writes were already retried inside {@link #call}; creates are retried here, each retry
     * preceded by a look-up when the failed request may have been executed, so nothing is created twice.
     */
    private void run(Op op, List<Integer> idx, Slots slots) {
        List<Integer> todo = idx;
        int attempt = 1;
        while (!todo.isEmpty()) {
            JsonNode answer;
            try {
                answer = op.idempotent() ? call(op.function(), params(op, todo, slots), slots.calls)
                        : attempt(op.function(), params(op, todo, slots), slots.calls);
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
                        pause(op.function(), attempt++, t);
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
                    throw unexpected(op.function(), "answer could not be attributed to the record sent");
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

    private static List<Map<String, Object>> checked(List<Map<String, Object>> batch) {
        if (batch == null) {
            throw new IllegalArgumentException("batch is null");
        }
        return batch;
    }

    private static String str(Map<String, Object> r, String key) {
        return MoodleRecordRules.text(r.get(key)).orElse("");
    }

    // ====================================================================================== users

    /**
     * Creates users (core_user_create_users, all-or-nothing per call). Each record is a map of the function's
     * user fields ({@code username, firstname, lastname, email, auth, password|createpassword, idnumber, ...}).
     * Success result: {@code {"id":..., "username":...}}.
     */
    public BatchResult createUsers(List<Map<String, Object>> users) {
        Slots slots = new Slots(checked(users));
        List<Integer> valid = prevalidate(slots,
                u -> MoodleRecordRules.checkNewUser(u, settings.passwordPolicy()),
                // one batch may not hold two new users with one username, nor one e-mail unless the site allows it
                u -> settings.allowSharedEmail() ? List.of("username=" + str(u, "username"))
                        : List.of("username=" + str(u, "username"), "email=" + str(u, "email").toLowerCase(Locale.ROOT)),
                Function.identity());
        Op op = new Op(CREATE_USERS, "users", this::settleCreatedUsers, this::recoverUsers);
        return runBatch(op, slots, valid);
    }

    private boolean settleCreatedUsers(List<Integer> sent, JsonNode answer, Slots slots) {
        if (!answer.isArray()) {
            throw unexpected(CREATE_USERS, "expected a list of created users");
        }
        Map<String, JsonNode> byUsername = new HashMap<>();
        for (JsonNode n : answer) {
            byUsername.put(n.path("username").asText(), n);
        }
        int missing = 0;
        for (int i : sent) {
            JsonNode n = byUsername.get(str(slots.record(i), "username"));
            if (n != null) {
                slots.success(i, n);
            } else {
                missing++;
                slots.failure(i, "notreturned", "Moodle's answer does not list this user (request truncated?)",
                        BatchResult.Origin.MOODLE);
            }
        }
        if (missing > 0) {
            LOG.error("Moodle {}: {} of {} users missing from the answer; is max_input_vars below {}?",
                    CREATE_USERS, missing, sent.size(), settings.maxInputVars());
        }
        return true;
    }

    /** Users of the batch that exist by username (and, when both sides have one, the same idnumber). */
    private Map<Integer, JsonNode> recoverUsers(List<Integer> sent, Slots slots) {
        List<String> names = sent.stream().map(i -> str(slots.record(i), "username")).toList();
        Map<String, JsonNode> found = new HashMap<>();
        for (JsonNode u : usersByField("username", names, slots.calls)) {
            found.put(u.path("username").asText(), u);
        }
        Map<Integer, JsonNode> out = new HashMap<>();
        for (int i : sent) {
            Map<String, Object> r = slots.record(i);
            JsonNode u = found.get(str(r, "username"));
            if (u == null) {
                continue;
            }
            String idn = str(r, "idnumber");
            String theirs = u.path("idnumber").asText("");
            if (!idn.isEmpty() && !theirs.isEmpty() && !idn.equals(theirs)) {
                continue; // someone else's account: let the retry fail on it
            }
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.set("id", u.path("id"));
            result.put("username", u.path("username").asText());
            out.put(i, result);
        }
        return out;
    }

    /**
     * Updates users (core_user_update_users: one transaction per user since Moodle 4.0). A per-user warning
     * becomes that record's failure with the warningcode; a whole-call refusal (parameter validation) is bisected.
     * Success result: {@code {"id":...}}.
     */
    public BatchResult updateUsers(List<Map<String, Object>> users) {
        Slots slots = new Slots(checked(users));
        List<Integer> valid = prevalidate(slots,
                u -> MoodleRecordRules.checkUserUpdate(u, settings.passwordPolicy()),
                u -> List.of("id=" + str(u, "id")), Function.identity());
        Op op = new Op(UPDATE_USERS, "users", this::settleUpdatedUsers, null);
        return runBatch(op, slots, valid);
    }

    private boolean settleUpdatedUsers(List<Integer> sent, JsonNode answer, Slots slots) {
        JsonNode warnings = answer.path("warnings");
        Map<String, JsonNode> byId = new HashMap<>();
        boolean unattributed = false;
        for (JsonNode w : warnings) {
            if (w.hasNonNull("itemid")) {
                byId.put(w.get("itemid").asText(), w);
            } else {
                unattributed = true;
            }
        }
        Set<String> sentIds = new HashSet<>();
        sent.forEach(i -> sentIds.add(str(slots.record(i), "id")));
        if (!byId.keySet().stream().allMatch(sentIds::contains)) {
            unattributed = true;
        }
        if (unattributed && sent.size() > 1) {
            return false;
        }
        for (int i : sent) {
            String id = str(slots.record(i), "id");
            JsonNode w = byId.get(id);
            if (w == null && unattributed) {
                w = warnings.get(0);
            }
            if (w != null) {
                slots.failure(i, w.path("warningcode").asText("warning"), w.path("message").asText(""),
                        BatchResult.Origin.MOODLE);
            } else {
                ObjectNode result = JsonNodeFactory.instance.objectNode();
                result.put("id", Long.parseLong(id));
                slots.success(i, result);
            }
        }
        return true;
    }

    /**
     * Users whose {@code field} (id, idnumber, username or email) equals one of the values. Values Moodle would
     * refuse to clean (upper-case usernames, untrimmed e-mails, non-numeric ids), which no user can match, are
     * skipped instead of failing the call. Cut into several calls under the field budget.
     */
    public List<JsonNode> getUsersByField(String field, List<String> values) {
        return usersByField(field, values, new Calls());
    }

    private List<JsonNode> usersByField(String field, List<String> values, Calls calls) {
        if (!USER_LOOKUP_FIELDS.contains(field)) {
            throw new IllegalArgumentException("field must be one of " + USER_LOOKUP_FIELDS + ": " + field);
        }
        List<String> clean = new ArrayList<>(new LinkedHashSet<>(values)).stream()
                .filter(v -> v != null && matchable(field, v)).toList();
        List<JsonNode> out = new ArrayList<>();
        int perCall = Math.max(1, settings.fieldBudget() - FormEncoder.FIXED_FIELDS - 1);
        for (int from = 0; from < clean.size(); from += perCall) {
            List<String> chunk = clean.subList(from, Math.min(clean.size(), from + perCall));
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("field", field);
            params.put("values", chunk);
            JsonNode answer = call(GET_USERS_BY_FIELD, params, calls);
            if (!answer.isArray()) {
                throw unexpected(GET_USERS_BY_FIELD, "expected a list of users");
            }
            answer.forEach(out::add);
        }
        return out;
    }

    private static boolean matchable(String field, String v) {
        return switch (field) {
            case "username" -> MoodleRecordRules.checkUsername(v).isEmpty();
            case "email" -> !v.isEmpty() && v.equals(v.strip());
            case "id" -> v.matches("[0-9]{1,18}");
            default -> true;
        };
    }

    // ====================================================================================== cohorts

    /**
     * Creates cohorts (core_cohort_create_cohorts, all-or-nothing per call): records
     * {@code {categorytype:{type,value}, name, idnumber, description?, visible?, ...}}. Success result: Moodle's
     * cohort JSON (with {@code id}).
     */
    public BatchResult createCohorts(List<Map<String, Object>> cohorts) {
        Slots slots = new Slots(checked(cohorts));
        List<Integer> valid = prevalidate(slots, c -> MoodleRecordRules.checkNewCohort(systemValue(c)),
                c -> List.of("idnumber=" + str(c, "idnumber")), MoodleClient::systemValue);
        Op op = new Op(CREATE_COHORTS, "cohorts", this::settleCreatedCohorts, this::recoverCohorts,
                MoodleClient::systemValue);
        return runBatch(op, slots, valid);
    }

    /** {type: system} needs a value key too (Moodle's structure requires it): send "". */
    private static Map<String, Object> systemValue(Map<String, Object> c) {
        if (c != null && c.get("categorytype") instanceof Map<?, ?> ct && "system".equals(ct.get("type"))
                && ct.get("value") == null) {
            Map<String, Object> copy = new LinkedHashMap<>(c);
            copy.put("categorytype", Map.of("type", "system", "value", ""));
            return copy;
        }
        return c;
    }

    private boolean settleCreatedCohorts(List<Integer> sent, JsonNode answer, Slots slots) {
        if (!answer.isArray()) {
            throw unexpected(CREATE_COHORTS, "expected a list of created cohorts");
        }
        Map<String, JsonNode> byIdnumber = new HashMap<>();
        for (JsonNode n : answer) {
            byIdnumber.put(n.path("idnumber").asText(), n);
        }
        for (int i : sent) {
            JsonNode n = byIdnumber.get(str(slots.record(i), "idnumber"));
            if (n != null) {
                slots.success(i, n);
            } else {
                slots.failure(i, "notreturned", "Moodle's answer does not list this cohort",
                        BatchResult.Origin.MOODLE);
            }
        }
        return true;
    }

    private Map<Integer, JsonNode> recoverCohorts(List<Integer> sent, Slots slots) {
        JsonNode all = call(GET_COHORTS, Map.of(), slots.calls);
        Map<String, JsonNode> byIdnumber = new HashMap<>();
        all.forEach(c -> byIdnumber.put(c.path("idnumber").asText(), c));
        Map<Integer, JsonNode> out = new HashMap<>();
        for (int i : sent) {
            Map<String, Object> r = slots.record(i);
            JsonNode c = byIdnumber.get(str(r, "idnumber"));
            if (c != null && c.path("name").asText().equals(str(r, "name"))) {
                out.put(i, c);
            }
        }
        return out;
    }

    /**
     * Updates cohorts (core_cohort_update_cohorts, all-or-nothing, not a patch: id, categorytype, name and
     * idnumber are required every time). Success result: null.
     */
    public BatchResult updateCohorts(List<Map<String, Object>> cohorts) {
        Slots slots = new Slots(checked(cohorts));
        List<Integer> valid = prevalidate(slots, c -> MoodleRecordRules.checkCohortUpdate(systemValue(c)),
                c -> List.of("id=" + str(c, "id")), MoodleClient::systemValue);
        Op op = new Op(UPDATE_COHORTS, "cohorts", MoodleClient::settleAll, null, MoodleClient::systemValue);
        return runBatch(op, slots, valid);
    }

    private static boolean settleAll(List<Integer> sent, JsonNode answer, Slots slots) {
        for (int i : sent) {
            slots.success(i, null);
        }
        return true;
    }

    /** Every cohort of the site (core_cohort_get_cohorts without ids). */
    public List<JsonNode> getCohorts() {
        JsonNode answer = call(GET_COHORTS, Map.of());
        if (!answer.isArray()) {
            throw unexpected(GET_COHORTS, "expected a list of cohorts");
        }
        List<JsonNode> out = new ArrayList<>();
        answer.forEach(out::add);
        return out;
    }

    /**
     * Member user ids of each cohort. Moodle fails the whole call for an unknown cohort id; such ids are isolated
     * by bisection and left out of the map (a cohort deleted meanwhile must not break the read).
     */
    public Map<Long, List<Long>> getCohortMembers(List<Long> cohortIds) {
        List<Long> ids = new ArrayList<>(new LinkedHashSet<>(cohortIds));
        Map<Long, List<Long>> out = new LinkedHashMap<>();
        int perCall = Math.max(1, settings.fieldBudget() - FormEncoder.FIXED_FIELDS);
        for (int from = 0; from < ids.size(); from += perCall) {
            members(ids.subList(from, Math.min(ids.size(), from + perCall)), out);
        }
        return out;
    }

    private void members(List<Long> ids, Map<Long, List<Long>> out) {
        JsonNode answer;
        try {
            answer = call(GET_COHORT_MEMBERS, Map.of("cohortids", ids));
        } catch (MoodleRecordException e) {
            if (ids.size() == 1) {
                LOG.warn("Moodle {}: cohort {} skipped: {}", GET_COHORT_MEMBERS, ids.get(0), e.errorcode());
                return;
            }
            int mid = (ids.size() + 1) / 2;
            members(ids.subList(0, mid), out);
            members(ids.subList(mid, ids.size()), out);
            return;
        }
        if (!answer.isArray()) {
            throw unexpected(GET_COHORT_MEMBERS, "expected a list of cohorts");
        }
        for (JsonNode c : answer) {
            List<Long> users = new ArrayList<>();
            c.path("userids").forEach(u -> users.add(u.asLong()));
            out.put(c.path("cohortid").asLong(), users);
        }
    }

    /**
     * Adds cohort members: records {@code {cohorttype:{type:id|idnumber,value}, usertype:{type:id|username,value}}}.
     * Warning 3 (already a member) is a success; warnings 1/2 fail their member (correlated by message, or by
     * bisection when a message cannot be placed). Success result: null, or the code-3 warning.
     */
    public BatchResult addCohortMembers(List<Map<String, Object>> members) {
        Slots slots = new Slots(checked(members));
        List<Integer> valid = prevalidate(slots, MoodleRecordRules::checkMemberAdd, m -> List.of(),
                Function.identity());
        Op op = new Op(ADD_COHORT_MEMBERS, "members", this::settleAddedMembers, null);
        return runBatch(op, slots, valid);
    }

    private boolean settleAddedMembers(List<Integer> sent, JsonNode answer, Slots slots) {
        JsonNode warnings = answer.path("warnings");
        List<Map<String, Object>> sentMembers = sent.stream().map(slots::record).toList();
        CohortMemberWarnings.Attribution a = CohortMemberWarnings.attribute(sentMembers, warnings);
        if (!a.complete()) {
            if (sent.size() > 1) {
                return false;
            }
            // one member, message not understood: the warning is its own
            a = new CohortMemberWarnings.Attribution(Map.of(0, warnings.get(0)), true);
        }
        for (int k = 0; k < sent.size(); k++) {
            JsonNode w = a.byIndex().get(k);
            int i = sent.get(k);
            if (w == null) {
                slots.success(i, null);
            } else if ("3".equals(w.path("warningcode").asText())) {
                slots.success(i, w);
            } else {
                slots.failure(i, w.path("warningcode").asText("warning"), w.path("message").asText(""),
                        BatchResult.Origin.MOODLE);
            }
        }
        return true;
    }

    /**
     * Removes cohort members: records {@code {cohortid, userid}} (all-or-nothing; an unknown user or cohort fails
     * the call and is isolated by bisection; a non-member is a silent success). Success result: null.
     */
    public BatchResult deleteCohortMembers(List<Map<String, Object>> members) {
        Slots slots = new Slots(checked(members));
        List<Integer> valid = prevalidate(slots, MoodleRecordRules::checkMemberDelete,
                m -> List.of("member=" + str(m, "cohortid") + "/" + str(m, "userid")), Function.identity());
        Op op = new Op(DELETE_COHORT_MEMBERS, "members", MoodleClient::settleAll, null);
        return runBatch(op, slots, valid);
    }

    // ====================================================================================== site

    /** core_webservice_get_site_info. */
    public SiteInfo siteInfo() {
        JsonNode n = call(SITE_INFO, Map.of());
        if (!n.isObject()) {
            throw unexpected(SITE_INFO, "expected an object");
        }
        Set<String> functions = new LinkedHashSet<>();
        for (JsonNode f : n.path("functions")) {
            // real Moodle: [{name, version}]; trimmed transcripts: ["name"]
            functions.add(f.isObject() ? f.path("name").asText() : f.asText());
        }
        return new SiteInfo(n.path("sitename").asText(""), n.path("release").asText(""),
                n.path("version").asText(""), n.path("username").asText(""), functions);
    }
}
