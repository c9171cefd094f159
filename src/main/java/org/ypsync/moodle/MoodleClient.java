package org.ypsync.moodle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.ypsync.moodle.MoodleBatchRunner.Op;
import org.ypsync.moodle.MoodleBatchRunner.Slots;

import static org.ypsync.moodle.MoodleBatchRunner.str;

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
    public static final String CREATE_CATEGORIES = "core_course_create_categories";
    public static final String GET_CATEGORIES = "core_course_get_categories";
    public static final String CREATE_COURSES = "core_course_create_courses";
    public static final String UPDATE_COURSES = "core_course_update_courses";
    public static final String DUPLICATE_COURSE = "core_course_duplicate_course";
    public static final String GET_COURSES_BY_FIELD = "core_course_get_courses_by_field";
    public static final String ENROL_USERS = "enrol_manual_enrol_users";
    public static final String GET_ENROLLED_USERS = "core_enrol_get_enrolled_users";

    /** Functions the client uses itself (for the pre-flight check). */
    public static final Set<String> FUNCTIONS = Set.of(CREATE_USERS, UPDATE_USERS, GET_USERS_BY_FIELD,
            CREATE_COHORTS, UPDATE_COHORTS, GET_COHORTS, GET_COHORT_MEMBERS, ADD_COHORT_MEMBERS,
            DELETE_COHORT_MEMBERS, SITE_INFO);

    /**
     * The functions the courses stage calls besides those (sync.courses.enabled); core_course_duplicate_course only
     * with a template course (sync.courses.template-shortname).
     */
    public static final Set<String> COURSE_FUNCTIONS = Set.of(CREATE_CATEGORIES, GET_CATEGORIES, CREATE_COURSES,
            UPDATE_COURSES, GET_COURSES_BY_FIELD, ENROL_USERS, GET_ENROLLED_USERS);

    /** The write functions whose records go out in batches, each with its own record cap (MoodleSettings). */
    public static final List<String> BATCHED_WRITES = List.of(CREATE_USERS, UPDATE_USERS, CREATE_COHORTS,
            UPDATE_COHORTS, ADD_COHORT_MEMBERS, DELETE_COHORT_MEMBERS, CREATE_CATEGORIES, CREATE_COURSES,
            UPDATE_COURSES, ENROL_USERS);

    /** Writes that are not idempotent: never re-sent blindly after the request may have been executed. */
    static final Set<String> NON_IDEMPOTENT = Set.of(CREATE_USERS, CREATE_COHORTS, CREATE_COURSES,
            CREATE_CATEGORIES, DUPLICATE_COURSE);

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
    private final MoodleCall moodle;
    private final MoodleBatchRunner runner;
    private final MoodleSettlements settle;

    public MoodleClient(MoodleSettings settings, MoodleTransport transport) {
        this(settings, transport, Sleeper.THREAD);
    }

    public MoodleClient(MoodleSettings settings, MoodleTransport transport, Sleeper sleeper) {
        this.settings = settings;
        this.transport = transport;
        this.sleeper = sleeper;
        this.moodle = new MoodleCall(settings, transport, sleeper);
        this.runner = new MoodleBatchRunner(moodle, settings);
        this.settle = new MoodleSettlements(moodle, settings, this::usersByField);
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
        return moodle.requests();
    }

    public boolean isStopped() {
        return moodle.fatal() != null;
    }

    @Override
    public String toString() {
        MoodleFatalException fatal = moodle.fatal();
        return "MoodleClient[" + settings.url() + (fatal == null ? "" : ", stopped: " + fatal.errorcode()) + "]";
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
        return moodle.call(function, params, new MoodleCall.Calls());
    }

    // ====================================================================================== users

    /**
     * Creates users (core_user_create_users, all-or-nothing per call). Each record is a map of the function's
     * user fields ({@code username, firstname, lastname, email, auth, password|createpassword, idnumber, ...}).
     * Success result: {@code {"id":..., "username":...}}.
     */
    public BatchResult createUsers(List<Map<String, Object>> users) {
        Slots slots = new Slots(MoodleBatchRunner.checked(users));
        List<Integer> valid = runner.prevalidate(slots,
                u -> MoodleRecordRules.checkNewUser(u, settings.passwordPolicy()),
                // one batch may not hold two new users with one username, nor one e-mail unless the site allows it
                u -> settings.allowSharedEmail() ? List.of("username=" + str(u, "username"))
                        : List.of("username=" + str(u, "username"), "email=" + str(u, "email").toLowerCase(Locale.ROOT)),
                Function.identity());
        Op op = new Op(CREATE_USERS, "users", settle::settleCreatedUsers, settle::recoverUsers);
        return runner.runBatch(op, slots, valid);
    }

    /**
     * Updates users (core_user_update_users: one transaction per user since Moodle 4.0). A per-user warning
     * becomes that record's failure with the warningcode; a whole-call refusal (parameter validation) is bisected.
     * Success result: {@code {"id":...}}.
     */
    public BatchResult updateUsers(List<Map<String, Object>> users) {
        Slots slots = new Slots(MoodleBatchRunner.checked(users));
        List<Integer> valid = runner.prevalidate(slots,
                u -> MoodleRecordRules.checkUserUpdate(u, settings.passwordPolicy()),
                u -> List.of("id=" + str(u, "id")), Function.identity());
        Op op = new Op(UPDATE_USERS, "users", settle::settleUpdatedUsers, null);
        return runner.runBatch(op, slots, valid);
    }

    /**
     * Users whose {@code field} (id, idnumber, username or email) equals one of the values. Values Moodle would
     * refuse to clean (upper-case usernames, untrimmed e-mails, non-numeric ids), which no user can match, are
     * skipped instead of failing the call. Cut into several calls under the field budget.
     */
    public List<JsonNode> getUsersByField(String field, List<String> values) {
        return usersByField(field, values, new MoodleCall.Calls());
    }

    private List<JsonNode> usersByField(String field, List<String> values, MoodleCall.Calls calls) {
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
            JsonNode answer = moodle.call(GET_USERS_BY_FIELD, params, calls);
            if (!answer.isArray()) {
                throw moodle.unexpected(GET_USERS_BY_FIELD, "expected a list of users");
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
        Slots slots = new Slots(MoodleBatchRunner.checked(cohorts));
        List<Integer> valid = runner.prevalidate(slots, c -> MoodleRecordRules.checkNewCohort(MoodleSettlements.systemValue(c)),
                c -> List.of("idnumber=" + str(c, "idnumber")), MoodleSettlements::systemValue);
        Op op = new Op(CREATE_COHORTS, "cohorts", settle::settleCreatedCohorts, settle::recoverCohorts,
                MoodleSettlements::systemValue);
        return runner.runBatch(op, slots, valid);
    }

    /**
     * Updates cohorts (core_cohort_update_cohorts, all-or-nothing, not a patch: id, categorytype, name and
     * idnumber are required every time). Success result: null.
     */
    public BatchResult updateCohorts(List<Map<String, Object>> cohorts) {
        Slots slots = new Slots(MoodleBatchRunner.checked(cohorts));
        List<Integer> valid = runner.prevalidate(slots, c -> MoodleRecordRules.checkCohortUpdate(MoodleSettlements.systemValue(c)),
                c -> List.of("id=" + str(c, "id")), MoodleSettlements::systemValue);
        Op op = new Op(UPDATE_COHORTS, "cohorts", MoodleSettlements::settleAll, null, MoodleSettlements::systemValue);
        return runner.runBatch(op, slots, valid);
    }

    /** Every cohort of the site (core_cohort_get_cohorts without ids). */
    public List<JsonNode> getCohorts() {
        JsonNode answer = call(GET_COHORTS, Map.of());
        if (!answer.isArray()) {
            throw moodle.unexpected(GET_COHORTS, "expected a list of cohorts");
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
            throw moodle.unexpected(GET_COHORT_MEMBERS, "expected a list of cohorts");
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
        Slots slots = new Slots(MoodleBatchRunner.checked(members));
        List<Integer> valid = runner.prevalidate(slots, MoodleRecordRules::checkMemberAdd, m -> List.of(),
                Function.identity());
        Op op = new Op(ADD_COHORT_MEMBERS, "members", settle::settleAddedMembers, null);
        return runner.runBatch(op, slots, valid);
    }

    /**
     * Removes cohort members: records {@code {cohortid, userid}} (all-or-nothing; an unknown user or cohort fails
     * the call and is isolated by bisection; a non-member is a silent success). Success result: null.
     */
    public BatchResult deleteCohortMembers(List<Map<String, Object>> members) {
        Slots slots = new Slots(MoodleBatchRunner.checked(members));
        List<Integer> valid = runner.prevalidate(slots, MoodleRecordRules::checkMemberDelete,
                m -> List.of("member=" + str(m, "cohortid") + "/" + str(m, "userid")), Function.identity());
        Op op = new Op(DELETE_COHORT_MEMBERS, "members", MoodleSettlements::settleAll, null);
        return runner.runBatch(op, slots, valid);
    }

    // ====================================================================================== courses

    /**
     * Creates course categories (core_course_create_categories, all-or-nothing): records
     * {@code {name, parent, idnumber, description?}}. Success result: {@code {"id":..., "name":...}}.
     */
    public BatchResult createCategories(List<Map<String, Object>> categories) {
        Slots slots = new Slots(MoodleBatchRunner.checked(categories));
        List<Integer> valid = runner.prevalidate(slots, MoodleRecordRules::checkNewCategory,
                c -> List.of("idnumber=" + str(c, "idnumber")), Function.identity());
        Op op = new Op(CREATE_CATEGORIES, "categories", settle::settleCreatedCategories, settle::recoverCategories);
        return runner.runBatch(op, slots, valid);
    }

    /** Every course category of the site (core_course_get_categories without criteria). */
    public List<JsonNode> getCategories() {
        return list(GET_CATEGORIES, call(GET_CATEGORIES, Map.of()), "expected a list of categories");
    }

    /**
     * Creates courses (core_course_create_courses, all-or-nothing): records {@code {fullname, shortname,
     * categoryid, idnumber, startdate?, enddate?, ...}}. A taken short name or idnumber fails its record
     * ({@code shortnametaken}, {@code courseidnumbertaken}, isolated by bisection). Success result:
     * {@code {"id":..., "shortname":...}}.
     */
    public BatchResult createCourses(List<Map<String, Object>> courses) {
        Slots slots = new Slots(MoodleBatchRunner.checked(courses));
        List<Integer> valid = runner.prevalidate(slots, MoodleRecordRules::checkNewCourse,
                c -> List.of("shortname=" + str(c, "shortname"), "idnumber=" + str(c, "idnumber")),
                Function.identity());
        Op op = new Op(CREATE_COURSES, "courses", settle::settleCreatedCourses, settle::recoverCourses);
        return runner.runBatch(op, slots, valid);
    }

    /**
     * Updates courses (core_course_update_courses: a patch, {@code id} and the fields to change; one course
     * refused is a warning with its id, the others are written). Success result: {@code {"id":...}}.
     */
    public BatchResult updateCourses(List<Map<String, Object>> courses) {
        Slots slots = new Slots(MoodleBatchRunner.checked(courses));
        List<Integer> valid = runner.prevalidate(slots, MoodleRecordRules::checkCourseUpdate,
                c -> List.of("id=" + str(c, "id")), Function.identity());
        Op op = new Op(UPDATE_COURSES, "courses", settle::settleUpdatedUsers, null);
        return runner.runBatch(op, slots, valid);
    }

    /**
     * Copies a template course with its sections and activities (core_course_duplicate_course), one call per
     * record {@code {courseid, fullname, shortname, categoryid, visible}}: the function takes one course.
     * Success result: {@code {"id":..., "shortname":...}}.
     */
    public BatchResult duplicateCourses(List<Map<String, Object>> copies) {
        List<Map<String, Object>> records = MoodleBatchRunner.checked(copies);
        List<BatchResult.Outcome> outcomes = new ArrayList<>();
        int calls = 0;
        for (int i = 0; i < records.size(); i++) {
            Slots slots = new Slots(List.of(records.get(i)));
            List<Integer> valid = runner.prevalidate(slots, MoodleRecordRules::checkDuplicate, c -> List.of(),
                    Function.identity());
            Op op = new Op(DUPLICATE_COURSE, null, settle::settleDuplicatedCourse, settle::recoverCopies);
            BatchResult one = runner.runBatch(op, slots, valid);
            BatchResult.Outcome o = one.get(0);
            outcomes.add(new BatchResult.Outcome(i, o.record(), o.success(), o.result(), o.errorcode(), o.reason(),
                    o.origin()));
            calls += one.calls();
        }
        return new BatchResult(outcomes, calls);
    }

    /**
     * Courses by field (core_course_get_courses_by_field): {@code field} one of "" (every course), id, ids,
     * shortname, idnumber, category.
     */
    public List<JsonNode> getCourses(String field, String value) {
        JsonNode answer = call(GET_COURSES_BY_FIELD, Map.of("field", field, "value", value));
        return list(GET_COURSES_BY_FIELD, answer.path("courses"), "expected {courses: [...]}");
    }

    /** Courses by id, in calls of at most 100 ids; ids not found (deleted courses) are simply not answered. */
    public List<JsonNode> getCoursesByIds(List<Long> ids) {
        List<Long> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        List<JsonNode> out = new ArrayList<>();
        for (int from = 0; from < distinct.size(); from += 100) {
            List<Long> chunk = distinct.subList(from, Math.min(distinct.size(), from + 100));
            out.addAll(getCourses("ids", String.join(",", chunk.stream().map(String::valueOf).toList())));
        }
        return out;
    }

    /**
     * Manual enrolments (enrol_manual_enrol_users, all-or-nothing): records {@code {roleid, userid, courseid,
     * timestart, timeend, suspend}}. An existing enrolment is rewritten whole: omitted dates become 0 and an
     * omitted suspend means active, so callers send every field they mean. Success result: null.
     */
    public BatchResult enrolUsers(List<Map<String, Object>> enrolments) {
        Slots slots = new Slots(MoodleBatchRunner.checked(enrolments));
        List<Integer> valid = runner.prevalidate(slots, MoodleRecordRules::checkEnrolment,
                e -> List.of("enrolment=" + str(e, "courseid") + "/" + str(e, "userid")), Function.identity());
        Op op = new Op(ENROL_USERS, "enrolments", MoodleSettlements::settleAll, null);
        return runner.runBatch(op, slots, valid);
    }

    /**
     * The ids of the users enrolled in a course (core_enrol_get_enrolled_users), all of them, or only those whose
     * enrolment is not active ({@code onlySuspended}: suspended, or outside its dates).
     */
    public List<Long> getEnrolledUserIds(long courseId, boolean onlySuspended) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("courseid", courseId);
        // only the ids are needed: Moodle builds far less per user
        List<Map<String, Object>> options = new ArrayList<>(List.of(Map.of("name", "userfields", "value", "id")));
        if (onlySuspended) {
            options.add(Map.of("name", "onlysuspended", "value", 1));
        }
        params.put("options", options);
        List<Long> ids = new ArrayList<>();
        list(GET_ENROLLED_USERS, call(GET_ENROLLED_USERS, params), "expected a list of users")
                .forEach(u -> ids.add(u.path("id").asLong()));
        return ids;
    }

    private List<JsonNode> list(String function, JsonNode answer, String expected) {
        if (!answer.isArray()) {
            throw moodle.unexpected(function, expected);
        }
        List<JsonNode> out = new ArrayList<>();
        answer.forEach(out::add);
        return out;
    }

    // ====================================================================================== site

    /** core_webservice_get_site_info. */
    public SiteInfo siteInfo() {
        JsonNode n = call(SITE_INFO, Map.of());
        if (!n.isObject()) {
            throw moodle.unexpected(SITE_INFO, "expected an object");
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
