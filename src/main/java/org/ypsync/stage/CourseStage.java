package org.ypsync.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.slf4j.LoggerFactory;
import org.ypsync.moodle.BatchResult;
import org.ypsync.moodle.MoodleClient;
import org.ypsync.ops.DeadLetters;
import org.ypsync.ops.Settings;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRuns;
import org.ypsync.store.CacheReader;
import org.ypsync.store.CourseLinkRepository;
import org.ypsync.store.LinkRepository;
import org.ypsync.sync.CourseLink;
import org.ypsync.sync.CoursePlan;
import org.ypsync.sync.CoursePlanner;
import org.ypsync.sync.CourseRole;
import org.ypsync.sync.DesiredCategory;
import org.ypsync.sync.DesiredCourse;
import org.ypsync.sync.EnrolmentLink;
import org.ypsync.sync.EnrolmentPlan;
import org.ypsync.sync.EnrolmentPlanner;
import org.ypsync.sync.FieldChange;
import org.ypsync.sync.MoodleCourse;
import org.ypsync.sync.Naming;
import org.ypsync.sync.PlanText;
import org.ypsync.sync.SyncLog;
import org.ypsync.sync.UserKey;
import org.ypsync.sync.UserKind;
import org.ypsync.sync.UserLink;

/**
 * The courses stage (sync.courses.enabled): one Moodle course per diploma group of the synced periods, in a course
 * category per site or per training, its students and the trainers of its timetable enrolled through the course's
 * manual enrolment; people who leave are suspended in the course, never unenrolled. Desired state from the cache,
 * known state from the course links (or, every sync.drift.every-runs runs, from what Moodle holds), the plan from
 * the pure planners; the route (routes/courses.camel.yaml) sends its writes through the Moodle batch routes.
 */
public final class CourseStage extends MoodleStage {
    /** Exchange property: the run of the courses stage. */
    public static final String RUN = "courseRun";
    private static final Set<UserKind> PEOPLE = Set.of(UserKind.STUDENT, UserKind.TEACHER);

    private final CourseLinkRepository courseLinks;

    public CourseStage(Settings settings, CacheReader cache, LinkRepository links, CourseLinkRepository courseLinks,
                       MoodleClient moodle, DeadLetters deadLetters, DriftSchedule drift) {
        super(settings, cache, links, moodle, deadLetters, drift);
        this.courseLinks = courseLinks;
    }

    /** What a courses stage run carries between its route steps. */
    public static final class CourseRun extends MoodleStageRun {
        private CourseSettings config;
        private DesiredCourses desired;
        private CoursePlan.Categories categoryPlan;
        private CoursePlan plan;
        private EnrolmentPlan enrolmentPlan;
        /** Category idnumber to Moodle id, and back: Moodle's categories, then those created this run. */
        private final Map<String, Long> categoryIds = new ConcurrentHashMap<>();
        private final Map<Long, String> categoryIdnumbers = new ConcurrentHashMap<>();
        /** Copies of the template made this run, still without their idnumber and dates. */
        private final List<DesiredCourse> copies = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Long> copyIds = new ConcurrentHashMap<>();
        List<Map<String, Object>> categoryCreates = List.of();
        List<Map<String, Object>> duplicates = List.of();
        List<Map<String, Object>> enrolments = List.of();

        CourseRun() {
            super("Syncing courses...");
        }

        public List<Map<String, Object>> getCategoryCreates() {
            return categoryCreates;
        }

        public List<Map<String, Object>> getDuplicates() {
            return duplicates;
        }

        public List<Map<String, Object>> getEnrolments() {
            return enrolments;
        }

        private void category(String idnumber, long id) {
            categoryIds.put(idnumber, id);
            categoryIdnumbers.put(id, idnumber);
        }
    }

    // ------------------------------------------------------------------ categories

    /** Off unless sync.courses.enabled; else plans the categories the courses need (created when missing). */
    public void planCategories(Exchange exchange) {
        StageRun stageRun = StageRuns.current(exchange);
        moodle = MoodleWriter.renewed(moodle);
        CourseRun run = new CourseRun();
        exchange.setProperty(RUN, run);
        exchange.setProperty(MoodleWrites.PROPERTY, run.writes);
        run.config = CourseSettings.of(settings);
        if (!run.config.enabled()) {
            run.proceed = false;
            stageRun.warn("skipped: sync.courses.enabled is false");
            return;
        }
        run.desired = DesiredCourses.of(cache.groups("DIPLOMA"), cache.sites(), run.config);
        for (JsonNode c : moodle.getCategories()) {
            String idnumber = c.path("idnumber").asText("");
            if (!idnumber.isEmpty()) {
                run.category(idnumber, c.path("id").asLong());
            }
        }
        CoursePlan.Categories plan = CoursePlanner.categories(List.copyOf(run.desired.categories.values()),
                courseLinks.categoryLinks(), Map.copyOf(run.categoryIds));
        run.categoryPlan = plan;
        if (stageRun.dryRun()) {
            return;
        }
        plan.adoptions().forEach((c, id) -> {
            courseLinks.saveCategoryLink(new CourseLink(c.idnumber(), id, Map.of("name", c.name())));
            run.output.add(StageOutput.instanceOf(c.idnumber()), SyncLog.category("adopted", c.name(), c.idnumber()));
        });
        run.categoryCreates = run.writes.addAll(plan.creates(), c -> categoryRecord(c),
                (c, outcome) -> categoryCreated(exchange, run, c, outcome));
    }

    private static Map<String, Object> categoryRecord(DesiredCategory c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("parent", 0);
        m.put("idnumber", c.idnumber());
        m.put("description", "NetYpareo courses (ypsync)");
        return m;
    }

    private void categoryCreated(Exchange exchange, CourseRun run, DesiredCategory c, BatchResult.Outcome outcome) {
        int instance = StageOutput.instanceOf(c.idnumber());
        if (outcome.success()) {
            long id = outcome.result().path("id").asLong();
            courseLinks.saveCategoryLink(new CourseLink(c.idnumber(), id, Map.of("name", c.name())));
            run.category(c.idnumber(), id);
            StageRuns.current(exchange).addCreated(1);
            run.output.add(instance, SyncLog.category("created", c.name(), c.idnumber()));
        } else {
            failed(exchange, run, c.idnumber(), SyncLog.category("failed", c.name(), c.idnumber()), outcome);
        }
    }

    // ------------------------------------------------------------------ courses

    /** Plans the courses: creates (or copies of the template), adoptions, updates, hides; courses left as they are. */
    public void planCourses(Exchange exchange) {
        StageRun stageRun = StageRuns.current(exchange);
        CourseRun run = exchange.getProperty(RUN, CourseRun.class);
        if (!run.config.enabled()) {
            return;
        }
        run.proceed = true;
        List<DesiredCourse> desired = run.desired.courses;
        Map<String, CourseLink> known = courseLinks.courseLinks();
        if (drift.due(stageRun.stage())) {
            known = repairView(known, run, desired);
        }
        Map<String, MoodleCourse> existing = new HashMap<>();
        Map<String, CourseLink> view = known;
        if (desired.stream().anyMatch(c -> !view.containsKey(c.idnumber()))) {
            // courses not linked yet: adopted when Moodle has one with the idnumber (one read of every course)
            for (JsonNode c : moodle.getCourses("", "")) {
                MoodleCourse mc = moodleCourse(c, run);
                if (!mc.idnumber().isEmpty()) {
                    existing.putIfAbsent(mc.idnumber(), mc);
                }
            }
        }
        CoursePlan plan = CoursePlanner.courses(desired, known, existing, run.config.hideGone());
        run.plan = plan;
        stageRun.addRead(desired.size());
        stageRun.addUnchanged(plan.unchanged());
        for (CoursePlan.Rejection r : plan.rejections()) {
            deadLetters.add(exchange, stageRun.stage(), StageOutput.instanceOf(r.idnumber()), r.idnumber(), r.reason(),
                    "rejected", r.shortname());
            run.output.add(StageOutput.instanceOf(r.idnumber()), SyncLog.line(r));
        }
        plan.left().forEach(l -> run.output.add(StageOutput.instanceOf(l.idnumber()), SyncLog.left(l)));
        if (stageRun.dryRun()) {
            PlanText.render(run.categoryPlan, plan).lines().forEach(stageRun::plan);
            run.proceed = false;
            return;
        }
        Long template = templateId(run);
        List<CoursePlan.Create> creates = new ArrayList<>();
        for (CoursePlan.Create c : plan.creates()) {
            if (categoryOf(exchange, run, c.course()) != null) {
                creates.add(c);
            }
        }
        if (template == null) {
            run.creates = run.writes.addAll(creates, c -> courseRecord(run, c.course()),
                    (c, outcome) -> courseCreated(exchange, run, c.course(), outcome, false));
        } else {
            run.duplicates = run.writes.addAll(creates, c -> copyRecord(run, template, c.course()),
                    (c, outcome) -> courseCreated(exchange, run, c.course(), outcome, true));
        }
        List<Map<String, Object>> updates = new ArrayList<>();
        for (CoursePlan.Update u : plan.updates()) {
            update(exchange, run, u.course(), u.moodleId(), u.changes(), "updated", updates);
        }
        for (CoursePlan.Adoption a : plan.adoptions()) {
            if (a.changes().isEmpty()) {
                courseLinks.saveCourseLink(new CourseLink(a.course().idnumber(), a.moodleId(), a.course().written()));
                run.output.add(StageOutput.instanceOf(a.course().idnumber()),
                        SyncLog.course("adopted", a.course().fullname(), a.course().idnumber()));
            } else {
                update(exchange, run, a.course(), a.moodleId(), a.changes(), "adopted", updates);
            }
        }
        for (CourseLink l : plan.hides()) {
            Map<String, String> written = new LinkedHashMap<>(l.written());
            written.put(DesiredCourse.VISIBLE, "0");
            String name = l.written().getOrDefault(DesiredCourse.FULLNAME, "");
            updates.add(run.writes.add(new LinkedHashMap<>(Map.of("id", l.moodleId(), "visible", 0)), outcome ->
                    saved(exchange, run, new CourseLink(l.idnumber(), l.moodleId(), written), name, "hidden", outcome)));
        }
        run.updates = updates;
    }

    /**
     * For drift repair: the known state is what Moodle holds (the fields ypsync wrote), so a hand edit shows up as
     * a change to undo; a course deleted by hand is forgotten, with its enrolments, and made again.
     */
    private Map<String, CourseLink> repairView(Map<String, CourseLink> known, CourseRun run, List<DesiredCourse> desired) {
        if (known.isEmpty()) {
            return known;
        }
        Map<Long, MoodleCourse> byId = new HashMap<>();
        for (JsonNode c : moodle.getCoursesByIds(known.values().stream().map(CourseLink::moodleId).toList())) {
            byId.put(c.path("id").asLong(), moodleCourse(c, run));
        }
        Set<String> wanted = new HashSet<>();
        desired.forEach(c -> wanted.add(c.idnumber()));
        Map<String, CourseLink> view = new HashMap<>();
        for (CourseLink link : known.values()) {
            MoodleCourse actual = byId.get(link.moodleId());
            if (actual == null) {
                if (wanted.contains(link.idnumber())) {
                    run.output.add(StageOutput.instanceOf(link.idnumber()), "Course missing in Moodle, will be "
                            + "recreated: [" + link.idnumber() + "]");
                }
                continue;
            }
            Map<String, String> held = new LinkedHashMap<>();
            link.written().forEach((k, v) -> held.put(k, actual.fields().getOrDefault(k, v)));
            view.put(link.idnumber(), new CourseLink(link.idnumber(), link.moodleId(), held));
        }
        return view;
    }

    /** A Moodle course under the keys of DesiredCourse, its category by idnumber when ypsync knows it. */
    private static MoodleCourse moodleCourse(JsonNode c, CourseRun run) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(DesiredCourse.IDNUMBER, c.path("idnumber").asText(""));
        f.put(DesiredCourse.SHORTNAME, c.path("shortname").asText(""));
        f.put(DesiredCourse.FULLNAME, c.path("fullname").asText(""));
        long category = c.path("categoryid").asLong();
        f.put(DesiredCourse.CATEGORY, run.categoryIdnumbers.getOrDefault(category, "id " + category));
        f.put(DesiredCourse.STARTDATE, String.valueOf(c.path("startdate").asLong()));
        f.put(DesiredCourse.ENDDATE, String.valueOf(c.path("enddate").asLong()));
        f.put(DesiredCourse.VISIBLE, String.valueOf(c.path("visible").asInt(1)));
        return new MoodleCourse(c.path("id").asLong(), f.get(DesiredCourse.IDNUMBER), f);
    }

    /** The template course's id (sync.courses.template-shortname), null for empty courses. */
    private Long templateId(CourseRun run) {
        String shortname = run.config.templateShortname();
        if (shortname == null) {
            return null;
        }
        List<JsonNode> found = moodle.getCourses("shortname", shortname);
        if (found.isEmpty()) {
            throw new IllegalStateException("sync.courses.template-shortname: no course with short name " + shortname);
        }
        return found.get(0).path("id").asLong();
    }

    /** The Moodle id of the course's category, or null with a dead letter when it could not be made. */
    private Long categoryOf(Exchange exchange, CourseRun run, DesiredCourse c) {
        Long id = run.categoryIds.get(c.categoryIdnumber());
        if (id == null) {
            deadLetters.add(exchange, StageRuns.current(exchange).stage(), StageOutput.instanceOf(c.idnumber()),
                    c.idnumber(), "course category [" + c.categoryIdnumber() + "] is not in Moodle", "nocategory",
                    c.shortname());
        }
        return id;
    }

    private static Map<String, Object> courseRecord(CourseRun run, DesiredCourse c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fullname", c.fullname());
        m.put("shortname", c.shortname());
        m.put("categoryid", run.categoryIds.get(c.categoryIdnumber()));
        m.put("idnumber", c.idnumber());
        m.put("startdate", c.startdate());
        m.put("enddate", c.enddate());
        return m;
    }

    private static Map<String, Object> copyRecord(CourseRun run, long template, DesiredCourse c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("courseid", template);
        m.put("fullname", c.fullname());
        m.put("shortname", c.shortname());
        m.put("categoryid", run.categoryIds.get(c.categoryIdnumber()));
        m.put("visible", 1);
        // without users=0 Moodle copies the template's enrolments and roles too (the option is applied only when
        // sent; the same-site backup's own default includes users): a copy starts with nobody enrolled
        m.put("options", List.of(Map.of("name", "users", "value", 0)));
        return m;
    }

    private void courseCreated(Exchange exchange, CourseRun run, DesiredCourse c, BatchResult.Outcome outcome,
                               boolean copy) {
        int instance = StageOutput.instanceOf(c.idnumber());
        if (!outcome.success()) {
            failed(exchange, run, c.idnumber(), SyncLog.course("failed", c.fullname(), c.idnumber()), outcome);
            return;
        }
        long id = outcome.result().path("id").asLong();
        // a course made (again) starts without enrolments: those ypsync remembers went with a deleted one
        courseLinks.forgetCourse(c.idnumber());
        Map<String, String> written = c.written();
        if (copy) {
            // the copy has no idnumber nor dates yet: the update after the copies sets them
            written.keySet().retainAll(Set.of(DesiredCourse.SHORTNAME, DesiredCourse.FULLNAME, DesiredCourse.CATEGORY));
            run.copies.add(c);
            run.copyIds.put(c.idnumber(), id);
        }
        courseLinks.saveCourseLink(new CourseLink(c.idnumber(), id, written));
        StageRuns.current(exchange).addCreated(1);
        run.output.add(instance, SyncLog.course("created", c.fullname(), c.idnumber())
                + (copy ? " (copy of " + run.config.templateShortname() + ")" : ""));
    }

    /** After the copies of the template: their idnumber and dates, by the updates that follow. */
    public void copiesMade(Exchange exchange) {
        CourseRun run = exchange.getProperty(RUN, CourseRun.class);
        if (run.copies.isEmpty()) {
            return;
        }
        List<Map<String, Object>> updates = new ArrayList<>(run.updates);
        for (DesiredCourse c : List.copyOf(run.copies)) {
            long id = run.copyIds.get(c.idnumber());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("idnumber", c.idnumber());
            m.put("startdate", c.startdate());
            m.put("enddate", c.enddate());
            updates.add(run.writes.add(m, outcome -> {
                if (outcome.success()) {
                    courseLinks.saveCourseLink(new CourseLink(c.idnumber(), id, c.written()));
                } else {
                    failed(exchange, run, c.idnumber(), SyncLog.course("failed", c.fullname(), c.idnumber()), outcome);
                }
            }));
        }
        run.updates = updates;
    }

    /** An update of the changed fields only (core_course_update_courses is a patch). */
    private void update(Exchange exchange, CourseRun run, DesiredCourse c, long moodleId,
                        Map<String, FieldChange> changes, String verb, List<Map<String, Object>> updates) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", moodleId);
        for (String field : changes.keySet()) {
            switch (field) {
                case DesiredCourse.CATEGORY -> {
                    Long category = categoryOf(exchange, run, c);
                    if (category == null) {
                        return;
                    }
                    m.put("categoryid", category);
                }
                case DesiredCourse.STARTDATE -> m.put("startdate", c.startdate());
                case DesiredCourse.ENDDATE -> m.put("enddate", c.enddate());
                case DesiredCourse.VISIBLE -> m.put("visible", 1);
                default -> m.put(field, c.written().get(field));
            }
        }
        Map<String, String> written = c.written();
        if (changes.containsKey(DesiredCourse.VISIBLE)) {
            written.put(DesiredCourse.VISIBLE, "1");
        }
        CourseLink link = new CourseLink(c.idnumber(), moodleId, written);
        updates.add(run.writes.add(m, outcome -> saved(exchange, run, link, c.fullname(), verb, outcome)));
    }

    private void saved(Exchange exchange, CourseRun run, CourseLink link, String fullname, String verb,
                       BatchResult.Outcome outcome) {
        if (outcome.success()) {
            courseLinks.saveCourseLink(link);
            StageRuns.current(exchange).addUpdated(1);
            run.output.add(StageOutput.instanceOf(link.idnumber()), SyncLog.course(verb, fullname, link.idnumber()));
        } else {
            failed(exchange, run, link.idnumber(), SyncLog.course("failed", fullname, link.idnumber()), outcome);
        }
    }

    private void failed(Exchange exchange, CourseRun run, String key, String line, BatchResult.Outcome outcome) {
        int instance = StageOutput.instanceOf(key);
        deadLetters.add(exchange, StageRuns.current(exchange).stage(), instance, key, outcome.reason(),
                outcome.errorcode(), outcome.record());
        run.output.add(instance, line + ": " + outcome.errorcode() + " " + outcome.reason());
    }

    // ------------------------------------------------------------------ enrolments

    /**
     * Plans the enrolments of the courses ypsync manages: the group's students (student role), the trainers of its
     * timetable who have an account (teacher role), against the enrolments ypsync made. A suspension guard trip stops
     * the stage before it writes any enrolment, unless --force.
     */
    public void planEnrolments(Exchange exchange) {
        StageRun stageRun = StageRuns.current(exchange);
        CourseRun run = exchange.getProperty(RUN, CourseRun.class);
        if (!run.config.enabled() || (!run.proceed && !stageRun.dryRun())) {
            run.proceed = false;
            return;
        }
        Map<String, CourseLink> courses = new HashMap<>(courseLinks.courseLinks());
        Set<String> wantedCourses = new HashSet<>();
        run.desired.courses.forEach(c -> wantedCourses.add(c.idnumber()));
        run.plan.rejections().forEach(r -> wantedCourses.remove(r.idnumber()));
        courses.keySet().retainAll(wantedCourses);
        Map<UserKey, UserLink> people = links.userLinks(PEOPLE);
        Map<String, Map<UserKey, CourseRole>> wanted = wanted(run, courses.keySet(), people);
        Map<String, EnrolmentPlan.Dates> dates = new HashMap<>();
        if (run.config.groupDates()) {
            run.desired.courses.forEach(c -> dates.put(c.idnumber(), new EnrolmentPlan.Dates(c.startdate(),
                    c.enddate())));
        }
        Map<String, Map<UserKey, EnrolmentLink>> current = courseLinks.enrolments(courses.keySet());
        if (drift.due(stageRun.stage())) {
            current = enrolmentsInMoodle(courses, current, !stageRun.dryRun());
        }
        Map<UserKey, Long> ids = new HashMap<>();
        people.forEach((k, l) -> ids.put(k, l.moodleId()));
        EnrolmentPlan plan = EnrolmentPlanner.plan(wanted, dates, current, ids,
                settings.decimal("sync.guard.max-removal-share"), settings.integer("sync.guard.min-cohort-size"));
        run.enrolmentPlan = plan;
        for (EnrolmentPlan.Skipped s : plan.skipped()) {
            run.output.add(s.key().instanceIndex(), SyncLog.skipped(s));
        }
        if (stageRun.dryRun()) {
            PlanText.render(plan, stageRun.force()).lines().forEach(stageRun::plan);
            run.proceed = false;
            return;
        }
        if (!plan.guards().isEmpty() && !stageRun.force()) {
            String why = "suspension guard: " + String.join("; ", plan.guards().values())
                    + " (sync.guard.max-removal-share); no enrolment written; run with --force to accept";
            stageRun.fail(why);
            run.output.add(0, why);
            run.proceed = false;
            return;
        }
        Map<UserKey, String> usernames = links.usernames(PEOPLE);
        List<Map<String, Object>> records = new ArrayList<>();
        enrolments(exchange, run, plan.enrols(), "added", courses, usernames, records);
        enrolments(exchange, run, plan.suspensions(), "suspended", courses, usernames, records);
        enrolments(exchange, run, plan.revivals(), "revived", courses, usernames, records);
        enrolments(exchange, run, plan.dateChanges(), "updated", courses, usernames, records);
        run.enrolments = records;
    }

    /** Per linked course, the group's listed students and the trainers of its timetable, with their role. */
    private Map<String, Map<UserKey, CourseRole>> wanted(CourseRun run, Set<String> courses,
                                                          Map<UserKey, UserLink> people) {
        Map<String, Map<UserKey, CourseRole>> wanted = new HashMap<>();
        courses.forEach(c -> wanted.put(c, new HashMap<>()));
        cache.groupMembers("DIPLOMA", m -> add(wanted, people, Naming.courseIdnumber(m.instance(),
                String.valueOf(m.groupCode())), new UserKey(m.instance(), UserKind.STUDENT,
                String.valueOf(m.studentCode())), CourseRole.STUDENT));
        cache.groupTrainers(t -> add(wanted, people, Naming.courseIdnumber(t.instance(), String.valueOf(t.groupCode())),
                new UserKey(t.instance(), UserKind.TEACHER, String.valueOf(t.staffCode())), CourseRole.TEACHER));
        return wanted;
    }

    private static void add(Map<String, Map<UserKey, CourseRole>> wanted, Map<UserKey, UserLink> people, String course,
                            UserKey key, CourseRole role) {
        Map<UserKey, CourseRole> in = wanted.get(course);
        UserLink account = people.get(key);
        // leavers (accounts ypsync suspended) are suspended in their courses too, as they leave their cohorts;
        // a trainer without an account is not ypsync's to enrol (only staff the users stage made are)
        if (in != null && (account == null ? role == CourseRole.STUDENT : !account.suspendedByUs())) {
            in.put(key, role);
        }
    }

    /**
     * Drift repair of enrolments: of those ypsync made, one no longer in Moodle (unenrolled by hand) is forgotten,
     * so the plan enrols it again when due; one active as ypsync wrote it but suspended in Moodle (by hand) counts as
     * suspended, so the plan re-activates it when due. Enrolments ypsync did not make are not read.
     */
    private Map<String, Map<UserKey, EnrolmentLink>> enrolmentsInMoodle(Map<String, CourseLink> courses,
            Map<String, Map<UserKey, EnrolmentLink>> current, boolean forget) {
        long now = Instant.now().getEpochSecond();
        Map<String, Map<UserKey, EnrolmentLink>> out = new HashMap<>();
        Map<String, EnrolledInMoodle> inMoodle = enrolledInMoodle(courses, current.keySet());
        current.forEach((course, enrolled) -> {
            Set<Long> all = inMoodle.get(course).all();
            Set<Long> inactive = inMoodle.get(course).inactive();
            Map<UserKey, EnrolmentLink> view = new HashMap<>();
            enrolled.forEach((key, link) -> {
                boolean withinDates = link.timestart() <= now && (link.timeend() == 0 || link.timeend() > now);
                if (!all.contains(link.moodleUserId())) {
                    if (forget) {
                        courseLinks.forgetEnrolment(course, key);
                    }
                } else if (!link.suspended() && withinDates && inactive.contains(link.moodleUserId())) {
                    view.put(key, link.withSuspended(true));
                } else {
                    view.put(key, link);
                }
            });
            out.put(course, view);
        });
        return out;
    }

    /** A course's enrolled users in Moodle: all of them, and those whose enrolment is not active. */
    private record EnrolledInMoodle(Set<Long> all, Set<Long> inactive) {
    }

    /**
     * The enrolled users of each course, two reads a course (Moodle has no call for many courses at once), at most
     * moodle.write-concurrency courses at a time: a site of 1,200 courses would otherwise wait for 2,400 calls one
     * after another on every drift run. A read that fails fails the stage, as a read of any other stage does.
     */
    private Map<String, EnrolledInMoodle> enrolledInMoodle(Map<String, CourseLink> courses, Set<String> wanted) {
        int lanes = Math.max(1, settings.optional("moodle.write-concurrency").map(v -> Integer.parseInt(v.trim()))
                .orElse(BatchExecutor.DEFAULT_MOODLE_CONCURRENCY));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(lanes, r -> {
            Thread t = new Thread(r, "ypsync-courses-drift-read");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, java.util.concurrent.Future<EnrolledInMoodle>> reads = new HashMap<>();
            for (String course : wanted) {
                long courseId = courses.get(course).moodleId();
                reads.put(course, pool.submit(() -> new EnrolledInMoodle(
                        new HashSet<>(moodle.getEnrolledUserIds(courseId, false)),
                        new HashSet<>(moodle.getEnrolledUserIds(courseId, true)))));
            }
            Map<String, EnrolledInMoodle> out = new HashMap<>();
            for (var e : reads.entrySet()) {
                out.put(e.getKey(), e.getValue().get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the courses' enrolments", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private void enrolments(Exchange exchange, CourseRun run, List<EnrolmentPlan.Enrolment> list, String verb,
                            Map<String, CourseLink> courses, Map<UserKey, String> usernames,
                            List<Map<String, Object>> records) {
        records.addAll(run.writes.addAll(list, e -> enrolmentRecord(run, e, courses.get(e.courseIdnumber()).moodleId()),
                (e, outcome) -> enrolled(exchange, run, e, courses.get(e.courseIdnumber()).moodleId(), verb,
                        usernames.get(e.key()), outcome)));
    }

    /** One enrol_manual_enrol_users entry, every field meant: dates and suspend always sent. */
    private static Map<String, Object> enrolmentRecord(CourseRun run, EnrolmentPlan.Enrolment e, long courseId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("roleid", run.config.roleId(e.role()));
        m.put("userid", e.moodleUserId());
        m.put("courseid", courseId);
        m.put("timestart", e.timestart());
        m.put("timeend", e.timeend());
        m.put("suspend", e.suspend() ? 1 : 0);
        return m;
    }

    private void enrolled(Exchange exchange, CourseRun run, EnrolmentPlan.Enrolment e, long courseId, String verb,
                          String username, BatchResult.Outcome outcome) {
        StageRun stageRun = StageRuns.current(exchange);
        if (outcome.success()) {
            courseLinks.saveEnrolment(e.link(), courseId, run.config.roleId(e.role()));
            switch (verb) {
                case "added" -> stageRun.addCreated(1);
                case "suspended" -> stageRun.addSuspended(1);
                default -> stageRun.addUpdated(1);
            }
            run.output.add(e.key().instanceIndex(), SyncLog.enrolment(e.role(), verb, username, e.courseIdnumber()));
        } else {
            deadLetters.add(exchange, stageRun.stage(), e.key().instanceIndex(), e.courseIdnumber() + " " + e.key(),
                    outcome.reason(), outcome.errorcode(), outcome.record());
        }
    }

    /** Prints the report and the summaries. */
    public void finish(Exchange exchange) {
        CourseRun run = exchange.getProperty(RUN, CourseRun.class);
        StageRun stageRun = StageRuns.current(exchange);
        if (!run.config.enabled()) {
            LoggerFactory.getLogger("ypsync.report").info("Courses: skipped (sync.courses.enabled is false)");
            return;
        }
        run.finish(stageRun, settings.instances());
        var report = LoggerFactory.getLogger("ypsync.report");
        if (run.plan != null) {
            report.info("{}", SyncLog.summary(run.plan));
        }
        if (run.enrolmentPlan != null) {
            report.info("{}", SyncLog.summary(run.enrolmentPlan));
        }
    }
}
