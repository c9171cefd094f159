package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.slf4j.LoggerFactory;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.moodle.emulator.MoodleCohort;
import org.ypsync.moodle.emulator.MoodleEmulator;
import org.ypsync.moodle.emulator.MoodleUser;
import org.ypsync.netypareo.RecordStream.Envelope;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.emulator.DataSetGenerator;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.EmulatedData;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRunner;
import org.ypsync.store.DeadLetterRepository.DeadLetter;
import org.ypsync.store.Store;

/**
 * The shared plumbing of the scenario tests (set up by {@link ScenarioExtension}): one emulated world per test class,
 * whose properties (the emulators' URLs and tokens, the store) reach the Camel Main of each test as override
 * properties, reset between tests (fresh NetYpareo data, an empty Moodle, an empty store), and read-backs of
 * Moodle's state by idnumber and username rather than by ids.
 */
final class ScenarioWorld implements AutoCloseable {
    final DemoEnvironment env;
    /** Between ypsync and the Moodle emulator: the fields each write carried. */
    final RecordingProxy proxy;
    /** The emulated Moodle's courses, read and edited by hand. */
    final EmulatedCourses courses;
    /** What the Camel Main of each test gets on top of its {@code @CamelMainTest} properties. */
    final Map<String, String> properties = new TreeMap<>();
    /** idnumbers of accounts made by hand in Moodle for a test: nobody in NetYpareo, and not ypsync's. */
    final Set<String> foreign = new TreeSet<>();
    private final ListAppender<ILoggingEvent> report = new ListAppender<>();
    private final Logger reportLogger = (Logger) LoggerFactory.getLogger("ypsync.report");
    /** The Camel context of the current test, once started. */
    private volatile CamelContext context;

    private final int fcPastDays;
    private final Set<Integer> statuses = new TreeSet<>();
    private final boolean allowSharedEmail;
    /** sync.courses.enabled of the test class: the convergence rounds check the courses too. */
    final boolean coursesEnabled;
    /** Whether the emulated Moodle has the user profile field netypareo_usertype (a stock Moodle has not). */
    final boolean profileField;

    /**
     * {@code settings}: the test class's {@code @CamelMainTest} properties, which the oracle follows too;
     * {@code extra}: properties known only here (a store user).
     */
    private ScenarioWorld(DemoEnvironment env, Map<String, String> settings, Map<String, String> extra,
                          boolean profileField) {
        this.env = env;
        this.profileField = profileField;
        if (profileField) {
            env.moodle().profileField(USER_TYPE_FIELD);
        }
        this.fcPastDays = Integer.parseInt(settings.getOrDefault("sync.fc.window-past-days",
                String.valueOf(ExpectedMoodle.FC_PAST_DAYS)));
        for (String st : settings.getOrDefault("sync.students.statuses", "").split(",")) {
            if (!st.isBlank()) {
                statuses.add(Integer.parseInt(st.strip()));
            }
        }
        this.allowSharedEmail = Boolean.parseBoolean(settings.getOrDefault("moodle.allow-shared-email", "false"));
        this.coursesEnabled = Boolean.parseBoolean(settings.getOrDefault("sync.courses.enabled", "false"));
        env.moodle().allowAccountsSameEmail(allowSharedEmail);
        this.proxy = new RecordingProxy(env.moodle().url());
        this.courses = new EmulatedCourses(env.moodle(), this::store);
        properties.putAll(env.properties());
        properties.put("moodle.url", proxy.url());
        properties.putAll(extra);
        report.start();
        reportLogger.addAppender(report);
    }

    static final String USER_TYPE_FIELD = "netypareo_usertype";

    /**
     * Starts the emulators with the given store ({@code extra} holds its user, if any); {@code profileField} false:
     * a stock Moodle, without the user profile field the shipped configuration writes.
     */
    static ScenarioWorld start(String storeUrl, Map<String, String> settings, Map<String, String> extra,
                               boolean profileField) {
        return new ScenarioWorld(DemoEnvironment.start(7L, DataSetSize.DEMO, storeUrl), settings, extra,
                profileField);
    }

    /**
     * The Camel context of the test about to run (from its Camel Main's configuration), which must see this world's
     * properties rather than application.properties'.
     */
    void attach(CamelContext context) {
        String url = context.resolvePropertyPlaceholders("{{moodle.url}}");
        if (!url.equals(proxy.url())) {
            throw new IllegalStateException("the Camel Main under test has moodle.url " + url + ", not " + proxy.url());
        }
        this.context = context;
    }

    private <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    /** The Camel context of the current test (to advise its routes). */
    CamelContext context() {
        if (context == null) {
            throw new IllegalStateException("no Camel context yet: @CamelMainTest must come before the scenario");
        }
        return context;
    }

    StageRunner runner() {
        return bean("stageRunner", StageRunner.class);
    }

    Store store() {
        return bean("ypsyncStore", Store.class);
    }

    /** The emulated data of a NetYpareo instance. */
    EmulatedData data(String instance) {
        return env.netypareo().data(instance);
    }

    /** The user type Moodle holds for a person of that type: none on a Moodle without the profile field. */
    String userType(String type) {
        return profileField ? type : null;
    }

    @Override
    public void close() {
        reportLogger.detachAppender(report);
        proxy.close();
        env.close();
    }

    MoodleEmulator moodle() {
        return env.moodle();
    }

    /** Fresh NetYpareo data for both instances (seeds 7 and 8 as DemoEnvironment), an empty Moodle and store. */
    void reset(DataSetSize size) throws Exception {
        reset(size, 7L);
    }

    /** As {@link #reset(DataSetSize)}, with the data of another seed (seed and seed + 1). */
    void reset(DataSetSize size, long seed) throws Exception {
        env.netypareo().clearFaults();
        env.netypareo().resetCounters();
        data(DemoEnvironment.FIRST, 0, Envelope.KEYED, seed, size);
        data(DemoEnvironment.SECOND, 1, Envelope.ARRAY, seed + 1, size);
        try (Connection c = store().dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String t : List.of("np_site", "np_period", "np_student", "np_staff", "np_tutor", "np_tutor_student",
                    "np_group", "np_group_member", "cache_count", "cache_status", "cache_staging", "dead_letter",
                    "stage_run", "moodle_user_link", "moodle_cohort_link", "moodle_cohort_member", "moodle_field_state",
                    "np_group_trainer", "moodle_course_category_link", "moodle_course_link", "moodle_enrolment_link")) {
                st.execute("DELETE FROM " + t);
            }
        }
        MoodleEmulator m = env.moodle();
        m.clearFaults();
        m.useToken(env.properties().get("moodle.token"));
        for (MoodleUser u : m.users()) {
            if (u.id() > 2 && !u.deleted()) {
                m.deleteUser(u.id());
            }
        }
        for (MoodleCohort c : m.cohorts()) {
            m.deleteCohort(c.id());
        }
        courses.clear();
        m.resetCounters();
        proxy.clear();
        foreign.clear();
        report.list.clear();
    }

    private void data(String id, int index, Envelope envelope, long seed, DataSetSize size) {
        String token = env.properties().get("netypareo." + id + ".token");
        env.netypareo().addInstance(id, token, envelope, DataSetGenerator.generate(seed, index, size));
    }

    // ------------------------------------------------------------------ running

    StageRun one(String stage, boolean dryRun, boolean force) {
        List<StageRun> runs = runner().run(stage, dryRun, force);
        assertEquals(1, runs.size());
        return runs.get(0);
    }

    /**
     * Runs the stages in order, none of which may fail as a whole (the generated data has records Moodle would
     * refuse, so RECORDS_FAILED is expected).
     */
    void ok(String... stages) {
        for (String s : stages) {
            StageRun run = one(s, false, false);
            if (run.outcome() == StageRun.Outcome.FAILED) {
                throw new AssertionError(run.summary());
            }
        }
    }

    /** The stages run (see {@link #ok}), then Moodle's counters at zero: what a scenario starts from. */
    void prepared(String... stages) {
        ok(stages);
        env.moodle().resetCounters();
    }

    /** The people in Moodle: cache, site cohorts, users and tutors {@link #prepared}. */
    void peopleSynced() {
        prepared("cache", "site-cohorts", "users", "tutors");
    }

    /** An immediate re-run of the stages writes nothing to Moodle. */
    void assertReRunWritesNothing(String... stages) {
        env.moodle().resetCounters();
        ok(stages);
        assertEquals(0, writes(), "a re-run wrote: " + writesByFunction());
    }

    /** The report lines printed since the last reset (or {@link #clearReport()}). */
    List<String> reportLines() {
        synchronized (report.list) {
            return report.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** A report line printed since the last reset holds {@code fragment}. */
    void assertReported(String fragment) {
        List<String> lines = reportLines();
        assertTrue(lines.stream().anyMatch(l -> l.contains(fragment)), lines.toString());
    }

    void clearReport() {
        report.list.clear();
    }

    /** The first student of instance 1 given the login of instance 0's first student: both, in that order. */
    List<StudentAccount> sameLoginInBothInstances() {
        StudentAccount first = data(DemoEnvironment.FIRST).students().get(0);
        StudentAccount second = data(DemoEnvironment.SECOND).students().get(0);
        data(DemoEnvironment.SECOND).setStudentLogin(second.code(), first.login());
        return List.of(first, second);
    }

    /**
     * Runs the cache, site-cohorts and users stages (counting Moodle's writes from the users stage on): the login
     * of {@code both} stays with instance 0's person, instance 1's gets no account and a dead letter (returned)
     * that names the login.
     */
    DeadLetter assertTheLoginStaysWithInstanceZero(List<StudentAccount> both) {
        StudentAccount first = both.get(0);
        StudentAccount second = both.get(1);
        ok("cache", "site-cohorts");
        env.moodle().resetCounters();
        StageRun users = one("users", false, false);
        assertEquals(StageRun.Outcome.RECORDS_FAILED, users.outcome(), users.summary());
        List<MoodleUser> holders = users().stream().filter(u -> u.username().equals(first.login())).toList();
        assertEquals(1, holders.size());
        assertEquals(String.valueOf(first.code()), holders.get(0).idnumber(), "instance 0 keeps its account");
        assertTrue(env.moodle().usersByIdnumber("1_" + second.code()).isEmpty(), "instance 1's person gets none");
        DeadLetter dl = store().deadLetters().list("users").stream()
                .filter(d -> d.recordKey().contains(String.valueOf(second.code()))).findFirst().orElseThrow();
        assertTrue(dl.reason().contains(first.login()), dl.reason());
        return dl;
    }

    // ------------------------------------------------------------------ Moodle read-backs

    /** Users other than guest and admin that are not deleted. */
    List<MoodleUser> users() {
        return env.moodle().users().stream().filter(u -> u.id() > 2 && !u.deleted()).toList();
    }

    Optional<MoodleUser> user(String username) {
        return users().stream().filter(u -> u.username().equals(username)).findFirst();
    }

    MoodleUser userByIdnumber(String idnumber) {
        List<MoodleUser> found = env.moodle().usersByIdnumber(idnumber);
        assertEquals(1, found.size(), "users with idnumber " + idnumber + ": " + found);
        return found.get(0);
    }

    /** Cohorts by idnumber. */
    Map<String, MoodleCohort> cohorts() {
        Map<String, MoodleCohort> out = new TreeMap<>();
        for (MoodleCohort c : env.moodle().cohorts()) {
            MoodleCohort before = out.put(c.idnumber(), c);
            assertEquals(null, before, "two cohorts with idnumber " + c.idnumber());
        }
        return out;
    }

    MoodleCohort cohort(String idnumber) {
        MoodleCohort c = cohorts().get(idnumber);
        if (c == null) {
            throw new AssertionError("no cohort " + idnumber + " in " + cohorts().keySet());
        }
        return c;
    }

    /** Usernames of a cohort's members. */
    Set<String> members(String cohortIdnumber) {
        MoodleCohort c = cohort(cohortIdnumber);
        return env.moodle().members(c.id()).stream().map(id -> env.moodle().user(id).orElseThrow().username())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Idnumbers of a cohort's members. */
    Set<String> memberIdnumbers(String cohortIdnumber) {
        MoodleCohort c = cohort(cohortIdnumber);
        return env.moodle().members(c.id()).stream().map(id -> env.moodle().user(id).orElseThrow().idnumber())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    long writes() {
        return env.moodle().totalWriteCalls();
    }

    /** Write calls by function, for messages. */
    String writesByFunction() {
        Map<String, Long> m = new TreeMap<>(env.moodle().callsByFunction());
        m.keySet().removeIf(f -> !(f.contains("create") || f.contains("update") || f.contains("delete")
                || f.contains("add") || f.contains("remove")));
        return m.toString();
    }

    // ------------------------------------------------------------------ the oracle's verdict

    /** The current NetYpareo data of both instances, as the oracle sees it today. */
    ExpectedMoodle expected() {
        return ExpectedMoodle.of(List.of(env.netypareo().data(DemoEnvironment.FIRST),
                env.netypareo().data(DemoEnvironment.SECOND)), java.time.LocalDate.now(), fcPastDays, statuses,
                allowSharedEmail);
    }

    /**
     * Moodle's users and site cohorts against the oracle. {@code gone}: idnumbers of people NetYpareo listed before
     * and no longer lists (their accounts must be suspended).
     */
    void assertUsersMatch(ExpectedMoodle e, Set<String> gone) {
        Map<String, MoodleUser> byIdnumber = new TreeMap<>();
        Map<String, MoodleUser> byEmail = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (MoodleUser u : users()) {
            if (byIdnumber.put(u.idnumber(), u) != null) {
                problems.add("two accounts with idnumber " + u.idnumber());
            }
            if (!allowSharedEmail && u.email() != null
                    && byEmail.put(u.email().toLowerCase(java.util.Locale.ROOT), u) != null) {
                problems.add("two accounts with e-mail " + u.email());
            }
            ExpectedMoodle.Person p = e.people.get(u.idnumber());
            if (foreign.contains(u.idnumber())) {
                continue;
            }
            if (p == null) {
                if (!gone.contains(u.idnumber())) {
                    problems.add("account " + u.username() + " [" + u.idnumber() + "] is nobody in NetYpareo");
                } else if (!u.suspended()) {
                    problems.add("account " + u.username() + " of a person gone from NetYpareo is not suspended");
                }
                continue;
            }
            if (!p.active() && !u.suspended()) {
                problems.add("inactive " + p.type() + " " + p.idnumber() + " has a working account");
            }
            if (!p.valid()) {
                problems.add(p.type() + " " + p.idnumber() + " without a usable e-mail has an account");
            }
        }
        for (ExpectedMoodle.Person p : e.sureActive()) {
            MoodleUser u = byIdnumber.get(p.idnumber());
            if (u == null) {
                problems.add("no account for " + p);
                continue;
            }
            String was = u.username() + "|" + u.firstname() + "|" + u.lastname() + "|" + u.email() + "|"
                    + u.customfields().get(USER_TYPE_FIELD) + "|" + u.suspended() + "|" + u.auth();
            String want = p.username() + "|" + p.firstname().trim() + "|" + p.lastname().trim() + "|" + p.email().trim()
                    + "|" + userType(p.type()) + "|false|manual";
            if (!was.equals(want)) {
                problems.add(p.idnumber() + ": Moodle has " + was + ", NetYpareo says " + want);
            }
        }
        for (Map.Entry<String, String> c : e.siteCohortNames.entrySet()) {
            Set<String> members = checkCohort(cohorts().get(c.getKey()), "site cohort", c.getKey(), c.getValue(),
                    e.siteMembers(c.getKey()), problems);
            if (members == null) {
                continue;
            }
            for (String m : members) {
                ExpectedMoodle.Person p = e.people.get(m);
                if (p == null || !p.active() || !p.siteCohorts().contains(c.getKey())) {
                    problems.add("site cohort " + c.getKey() + " holds " + m + " who does not belong there: " + p);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " differences:\n" + String.join("\n", problems));
        }
    }

    /**
     * The members of cohort {@code idnumber} ({@code what}: "site cohort", "cohort") once checked to be named
     * {@code name} and to hold everyone of {@code required}, each difference added to {@code problems}; null when
     * Moodle has no such cohort.
     */
    private Set<String> checkCohort(MoodleCohort cohort, String what, String idnumber, String name,
                                    Set<String> required, List<String> problems) {
        if (cohort == null) {
            problems.add("no " + what + " " + idnumber);
            return null;
        }
        if (!cohort.name().equals(name)) {
            problems.add(what + " " + idnumber + " is named " + cohort.name() + ", not " + name);
        }
        Set<String> members = memberIdnumbers(idnumber);
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(members);
        if (!missing.isEmpty()) {
            problems.add(what + " " + idnumber + " lacks " + missing);
        }
        return members;
    }

    /**
     * Moodle's group cohorts against the oracle: every expected cohort exists with its name; its members include every
     * listed student who must have a working account, and nobody the group does not list. {@code left}: cohorts of
     * groups no longer synced, which must still exist.
     */
    void assertGroupsMatch(ExpectedMoodle e, Set<String> left) {
        List<String> problems = new ArrayList<>();
        Set<String> sure = new TreeSet<>();
        e.sureActive().forEach(p -> sure.add(p.idnumber()));
        Map<String, MoodleCohort> cohorts = cohorts();
        for (ExpectedMoodle.GroupCohort g : e.groupCohorts.values()) {
            Set<String> required = new TreeSet<>(g.studentIdnumbers());
            required.retainAll(sure);
            Set<String> members = checkCohort(cohorts.get(g.idnumber()), "cohort", g.idnumber(), g.name(), required,
                    problems);
            if (members == null) {
                continue;
            }
            Set<String> extra = new TreeSet<>(members);
            extra.removeAll(g.studentIdnumbers());
            extra.removeAll(foreign);
            if (!extra.isEmpty()) {
                problems.add("cohort " + g.idnumber() + " holds " + extra + " whom the group does not list");
            }
            Set<String> leavers = new TreeSet<>();
            for (String m : members) {
                ExpectedMoodle.Person p = e.people.get(m);
                if (p != null && "student".equals(p.type()) && !p.active()) {
                    leavers.add(m);
                }
            }
            if (!leavers.isEmpty()) {
                problems.add("cohort " + g.idnumber() + " holds leavers " + leavers);
            }
        }
        for (String l : left) {
            if (!cohorts.containsKey(l)) {
                problems.add("cohort " + l + " of a group no longer synced was deleted");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " differences:\n" + String.join("\n", problems));
        }
    }

    /**
     * Moodle's courses against the oracle: every expected course exists once, named after its group; each listed
     * student and trainer who must have a working account is enrolled, active, with role 5 (student) or 3
     * (editingteacher); nobody else of ypsync's people holds an active enrolment in it (leavers are suspended, never
     * unenrolled). {@code left}: courses of groups no longer synced, which must still exist.
     */
    void assertCoursesMatch(ExpectedMoodle e, Set<String> left) {
        List<String> problems = new ArrayList<>();
        Map<String, EmulatedCourses.Course> byIdnumber = new TreeMap<>();
        for (var c : courses.courses()) {
            if (byIdnumber.put(c.idnumber(), c) != null) {
                problems.add("two courses with idnumber " + c.idnumber());
            }
        }
        Map<String, ExpectedMoodle.Person> sure = new TreeMap<>();
        e.sureActive().forEach(p -> sure.put(p.idnumber(), p));
        for (ExpectedMoodle.ExpectedCourse want : e.courses.values()) {
            var c = byIdnumber.get(want.idnumber());
            if (c == null) {
                problems.add("no course " + want.idnumber());
                continue;
            }
            if (!c.fullname().equals(want.name())) {
                problems.add("course " + want.idnumber() + " is named " + c.fullname() + ", not " + want.name());
            }
            Map<String, org.ypsync.moodle.emulator.MoodleEnrolment> active = new TreeMap<>();
            for (var en : env.moodle().enrolments(c.id())) {
                Optional<MoodleUser> u = env.moodle().user(en.userId());
                if (u.isPresent() && !u.get().deleted() && !en.suspended()) {
                    active.put(u.get().idnumber(), en);
                }
            }
            for (String s : want.studentIdnumbers()) {
                if (sure.containsKey(s) && (active.get(s) == null || !active.get(s).roleIds().equals(Set.of(5L)))) {
                    problems.add("course " + want.idnumber() + ": student " + s + " not enrolled as student");
                }
            }
            for (String t : want.trainerIdnumbers()) {
                if (sure.containsKey(t) && (active.get(t) == null || !active.get(t).roleIds().equals(Set.of(3L)))) {
                    problems.add("course " + want.idnumber() + ": trainer " + t + " not enrolled as teacher");
                }
            }
            for (String idnumber : active.keySet()) {
                ExpectedMoodle.Person p = e.people.get(idnumber);
                boolean listed = want.studentIdnumbers().contains(idnumber) || want.trainerIdnumbers().contains(idnumber);
                if (!foreign.contains(idnumber) && (!listed || p == null || !p.active())) {
                    problems.add("course " + want.idnumber() + " has an active enrolment of " + idnumber + " (" + p
                            + "), whom it should not");
                }
            }
        }
        for (String l : left) {
            if (!byIdnumber.containsKey(l)) {
                problems.add("course " + l + " of a group no longer synced was deleted");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " differences:\n" + String.join("\n", problems));
        }
    }
}
