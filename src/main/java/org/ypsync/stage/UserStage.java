package org.ypsync.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.slf4j.LoggerFactory;
import org.ypsync.moodle.BatchResult;
import org.ypsync.moodle.MoodleClient;
import org.ypsync.ops.DeadLetters;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.Settings;
import org.ypsync.ops.StageRuns;
import org.ypsync.store.CacheReader;
import org.ypsync.store.FieldStateRepository;
import org.ypsync.store.LinkRepository;
import org.ypsync.sync.CohortFamily;
import org.ypsync.sync.CohortLink;
import org.ypsync.sync.DesiredUser;
import org.ypsync.sync.FieldKeeping;
import org.ypsync.sync.FieldKeeping.FieldState;
import org.ypsync.sync.MatchMode;
import org.ypsync.sync.MembershipPlan;
import org.ypsync.sync.MembershipPlanner;
import org.ypsync.sync.MoodleAccount;
import org.ypsync.sync.PlanText;
import org.ypsync.sync.SyncLog;
import org.ypsync.sync.UserFields;
import org.ypsync.sync.UserKey;
import org.ypsync.sync.UserKind;
import org.ypsync.sync.UserLink;
import org.ypsync.sync.UserPlan;
import org.ypsync.sync.UserPlanner;
import org.ypsync.sync.UserSyncSettings;

/**
 * The user stages: "users" (students and trainers, "Synchronisation des utilisateurs") and "tutors" ("Synchro des
 * tuteurs"). Desired users come from the cache, known ones from the link table, existing Moodle accounts are looked
 * up to be adopted rather than duplicated; the pure planner decides, the routes send the writes through the Moodle
 * batch routes, then the site cohort memberships follow.
 */
public final class UserStage extends MoodleStage {
    public static final String RUN = "userRun";

    private final FieldStateRepository fieldStates;
    private final SecureRandom random = new SecureRandom();

    public UserStage(Settings settings, CacheReader cache, LinkRepository links, FieldStateRepository fieldStates,
                     MoodleClient moodle, DeadLetters deadLetters, DriftSchedule drift) {
        super(settings, cache, links, moodle, deadLetters, drift);
        this.fieldStates = fieldStates;
    }

    /** What a user stage run carries between its route steps. */
    public static final class UserRun extends MoodleStageRun {
        private final Set<UserKind> kinds;
        private List<DesiredUser> desired = List.of();
        private UserPlan plan;
        private String summary;
        private Map<UserKey, UserLink> known = Map.of();
        /** Links saved during this run: a person updated and revived in one run keeps both in its link. */
        private final Map<UserKey, UserLink> saved = new java.util.concurrent.ConcurrentHashMap<>();
        /** What this run wrote, person by person, to be read back ({@link #verify}). */
        private final Map<UserKey, Sent> sent = new java.util.concurrent.ConcurrentHashMap<>();
        /** What Moodle keeps of each field, as this run knows it. */
        private Map<String, FieldState> states = new HashMap<>();

        UserRun(Set<UserKind> kinds) {
            super(kinds.contains(UserKind.TUTOR) ? "Syncing tutors..." : "Syncing users...");
            this.kinds = kinds;
        }
    }

    /** The fields written to one person in this run, merged over its writes. */
    private record Sent(long moodleId, Map<String, String> fields) {
    }

    UserSyncSettings syncSettings() {
        MatchMode match = MatchMode.valueOf(settings.required("sync.user-match").toUpperCase());
        return new UserSyncSettings(match, settings.required("sync.users.auth"), settings.bool("sync.users.create-password"),
                settings.optional("sync.users.usertype-field").orElse(null), settings.bool("moodle.allow-shared-email"),
                settings.decimal("sync.guard.max-suspensions"));
    }

    /** Plans the users of the stage and checks the guards before anything is written. */
    public void plan(Exchange exchange) {
        StageRun stageRun = StageRuns.current(exchange);
        moodle = MoodleWriter.renewed(moodle);
        Set<UserKind> kinds = stageRun.stage().equals("tutors") ? EnumSet.of(UserKind.TUTOR)
                : EnumSet.of(UserKind.STUDENT, UserKind.TEACHER);
        UserRun run = new UserRun(kinds);
        exchange.setProperty(RUN, run);
        exchange.setProperty(MoodleWrites.PROPERTY, run.writes);
        UserSyncSettings s = syncSettings();

        run.desired = desired(kinds);
        run.states = new HashMap<>(fieldStates.all());
        Map<UserKey, UserLink> stored = links.userLinks(kinds);
        if (!stageRun.dryRun()) {
            stored = recheck(run, stored);
        }
        // a value held while Moodle did not keep its field is stale once the field is kept again
        run.known = new HashMap<>();
        for (UserLink l : stored.values()) {
            run.known.put(l.key(), FieldKeeping.current(l, run.states));
        }
        Set<String> notKept = new HashSet<>();
        run.states.values().stream().filter(st -> !st.kept()).forEach(st -> notKept.add(st.field()));
        boolean driftDue = drift.due(stageRun.stage()) && !run.known.isEmpty();
        Map<Long, MoodleAccount> accounts = driftDue ? accountsById(s, run.known) : Map.of();
        if (driftDue) {
            run.known = withoutDeletedAccounts(run, accounts, s, stageRun.dryRun());
        }
        Map<Long, UserKey> othersAccounts = new HashMap<>();
        links.userLinks(EnumSet.complementOf(EnumSet.copyOf(kinds))).forEach((k, l) -> othersAccounts.put(l.moodleId(), k));

        // Existing accounts for the people ypsync does not manage yet: adopted, never duplicated.
        List<String> matchKeys = new ArrayList<>();
        for (DesiredUser d : run.desired) {
            if (d.active() && !run.known.containsKey(d.key())) {
                UserPlanner.matchKey(d, s.match()).ifPresent(matchKeys::add);
            }
        }
        List<MoodleAccount> found = lookup(s, matchKeys);
        List<UserPlan.Rejection> ownedElsewhere = new ArrayList<>();
        Map<String, UserKey> ownerByMatchKey = new HashMap<>();
        List<MoodleAccount> adoptable = new ArrayList<>();
        for (MoodleAccount a : found) {
            UserKey owner = othersAccounts.get(a.id());
            if (owner == null) {
                adoptable.add(a);
            } else {
                ownerByMatchKey.put(UserPlanner.matchKey(a, s.match()), owner);
            }
        }
        List<DesiredUser> plannable = new ArrayList<>();
        for (DesiredUser d : run.desired) {
            Optional<String> key = UserPlanner.matchKey(d, s.match());
            UserKey owner = key.map(ownerByMatchKey::get).orElse(null);
            if (owner != null && !run.known.containsKey(d.key())) {
                ownedElsewhere.add(new UserPlan.Rejection(d.key(), d.login(), "the Moodle account '" + key.get()
                        + "' already belongs to " + owner + "; two NetYpareo people are never merged"));
            } else {
                plannable.add(d);
            }
        }
        UserPlan plan = UserPlanner.plan(plannable, run.known, UserPlanner.indexByMatchKey(adoptable, s.match()),
                holders(s, plannable, run.known, found), s, random);
        if (driftDue) {
            plan = withDrift(plan, UserPlanner.drift(plannable, run.known, accounts, s, notKept));
        } else {
            // no read of Moodle this run: the fields kept again are written from what the links say
            Set<UserKey> active = new HashSet<>();
            plannable.stream().filter(DesiredUser::active).forEach(d -> active.add(d.key()));
            List<UserPlan.Update> refills = FieldKeeping.refills(stored, run.known, active);
            if (!refills.isEmpty()) {
                plan = withDrift(plan, new UserPlan(List.of(), List.of(), refills, List.of(), List.of(), List.of(), 0,
                        0, plan.missingAccounts(), plan.managedPopulation(), Optional.empty()));
            }
        }
        if (!ownedElsewhere.isEmpty()) {
            List<UserPlan.Rejection> rejections = new ArrayList<>(plan.rejections());
            rejections.addAll(ownedElsewhere);
            plan = new UserPlan(plan.creates(), plan.adoptions(), plan.updates(), plan.suspensions(), plan.revivals(),
                    rejections, plan.unchanged(), plan.inactiveWithoutAccount(), plan.missingAccounts(),
                    plan.managedPopulation(), plan.suspensionGuard());
        }
        run.plan = plan;
        run.summary = SyncLog.summary(label(kinds), plan);
        stageRun.addRead(run.desired.size());
        stageRun.addUnchanged(plan.unchanged());
        for (UserPlan.Rejection r : plan.rejections()) {
            deadLetters.add(exchange, stageRun.stage(), r.key().instanceIndex(), r.key().toString(), r.reason(),
                    "rejected", r.login());
            run.output.add(r.key().instanceIndex(), SyncLog.line(r));
        }
        MembershipPlan members = membership(run, stageRun, true);
        if (stageRun.dryRun()) {
            PlanText.render(label(kinds), plan, stageRun.force()).lines().forEach(stageRun::plan);
            PlanText.render("Site cohort members", members, stageRun.force()).lines().forEach(stageRun::plan);
            run.proceed = false;
            return;
        }
        List<String> guards = new ArrayList<>();
        plan.suspensionGuard().ifPresent(g -> guards.add(g + " (sync.guard.max-suspensions)"));
        guards.addAll(members.removalGuards().values());
        if (!guards.isEmpty() && !stageRun.force()) {
            stageRun.fail("guard: " + String.join("; ", guards) + "; nothing written; run with --force to accept");
            run.proceed = false;
            return;
        }
        prepareWrites(exchange, run);
    }

    private static String label(Set<UserKind> kinds) {
        return kinds.contains(UserKind.TUTOR) ? "Tutors" : "Users";
    }

    private List<DesiredUser> desired(Set<UserKind> kinds) {
        List<CacheReader.SiteRow> sites = cache.sites();
        List<CacheReader.StudentRow> students = new ArrayList<>();
        cache.students(students::add);
        List<DesiredUser> out = new ArrayList<>();
        if (kinds.contains(UserKind.STUDENT)) {
            Set<Integer> statuses = settings.list("sync.students.statuses").stream().map(Integer::valueOf)
                    .collect(Collectors.toSet());
            out.addAll(DesiredState.students(students, sites, LocalDate.now(), statuses));
        }
        if (kinds.contains(UserKind.TEACHER)) {
            List<CacheReader.StaffRow> staff = new ArrayList<>();
            cache.staff(staff::add);
            out.addAll(DesiredState.trainers(staff, sites));
        }
        if (kinds.contains(UserKind.TUTOR)) {
            List<CacheReader.TutorRow> tutors = new ArrayList<>();
            cache.tutors(tutors::add);
            List<CacheReader.TutorStudentRow> tutored = new ArrayList<>();
            cache.tutorStudents(tutored::add);
            out.addAll(DesiredState.tutors(tutors, tutored, students, sites));
        }
        return out;
    }

    private List<MoodleAccount> lookup(UserSyncSettings s, List<String> matchKeys) {
        if (matchKeys.isEmpty()) {
            return List.of();
        }
        String field = s.match() == MatchMode.USERNAME ? "username" : "idnumber";
        // In idnumber mode the match key is "type|idnumber": Moodle is asked for the idnumber.
        List<String> values = matchKeys.stream().map(k -> s.match() == MatchMode.USERNAME ? k : k.substring(k.indexOf('|') + 1))
                .distinct().toList();
        List<MoodleAccount> out = new ArrayList<>();
        usersByField(field, values, j -> out.add(account(j, s)));
        return out;
    }

    /**
     * Reads users by field one call's worth of values at a time (the client's own cut), so that only one answer's
     * JSON is held at once, never the whole population's (about 1.5 KB per user as a JSON tree).
     */
    private void usersByField(String field, List<String> values, java.util.function.Consumer<JsonNode> each) {
        int perCall = Math.max(1, moodle.settings().fieldBudget() - org.ypsync.moodle.FormEncoder.FIXED_FIELDS - 1);
        for (int from = 0; from < values.size(); from += perCall) {
            moodle.getUsersByField(field, values.subList(from, Math.min(values.size(), from + perCall)))
                    .forEach(each);
        }
    }

    /**
     * The Moodle accounts that already hold a username or e-mail about to be written (a create, or a linked person's
     * new value): Moodle refuses such a write, and core_user_create_users then rolls back its whole batch. Known
     * before, the person is dead-lettered once per run instead of being sent to Moodle again and again.
     */
    private List<MoodleAccount> holders(UserSyncSettings s, List<DesiredUser> desired, Map<UserKey, UserLink> known,
                                        List<MoodleAccount> found) {
        // in username mode the adoption lookup already asked for the usernames of the unlinked people
        boolean unlinkedUsernamesKnown = s.match() == MatchMode.USERNAME;
        List<String> usernames = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        for (DesiredUser d : desired) {
            if (!d.active()) {
                continue;
            }
            UserLink link = known.get(d.key());
            Optional<String> username = org.ypsync.sync.Usernames.normalise(d.login());
            Optional<String> email = org.ypsync.sync.Emails.trim(d.email());
            if (username.isPresent() && (link == null ? !unlinkedUsernamesKnown
                    : !username.get().equals(link.written().get(UserFields.USERNAME)))) {
                usernames.add(username.get());
            }
            if (email.isPresent() && !s.allowSharedEmail()
                    && (link == null || !email.get().equals(link.written().get(UserFields.EMAIL)))) {
                emails.add(email.get());
            }
        }
        List<MoodleAccount> out = new ArrayList<>(found);
        if (!usernames.isEmpty()) {
            moodle.getUsersByField("username", usernames).forEach(j -> out.add(account(j, s)));
        }
        if (!emails.isEmpty()) {
            moodle.getUsersByField("email", emails).forEach(j -> out.add(account(j, s)));
        }
        return out;
    }

    /**
     * Drift: a linked account deleted by hand in Moodle (not found by id, or found deleted: Moodle still returns a
     * deleted user by id, with its e-mail replaced by the md5 of its username, which no live account can have) is
     * forgotten, so the person gets an account again, as a cohort deleted by hand is made again. When more accounts
     * are missing than the suspension guard allows, they are only reported: a web-service user that cannot see
     * accounts must not make ypsync duplicate them.
     */
    private Map<UserKey, UserLink> withoutDeletedAccounts(UserRun run, Map<Long, MoodleAccount> accounts,
                                                          UserSyncSettings s, boolean dryRun) {
        Set<UserKey> active = new HashSet<>();
        run.desired.stream().filter(DesiredUser::active).forEach(d -> active.add(d.key()));
        List<UserLink> missing = new ArrayList<>();
        for (UserLink l : run.known.values()) {
            MoodleAccount a = accounts.get(l.moodleId());
            if (a == null || (a.email() != null && a.email().matches("[0-9a-f]{32}"))) {
                missing.add(l);
            }
        }
        if (missing.isEmpty()) {
            return run.known;
        }
        Optional<String> tooMany = org.ypsync.sync.Guards.suspensions(missing.size(),
                UserPlanner.activePopulation(run.known), s.maxSuspensionShare());
        Map<UserKey, UserLink> known = new HashMap<>(run.known);
        for (UserLink l : missing) {
            String who = SyncLog.user(l.key().kind(), "missing in Moodle", l.written().get(UserFields.USERNAME),
                    l.key().idnumber());
            if (tooMany.isPresent()) {
                run.output.add(l.key().instanceIndex(), who + " (deleted by hand?); too many are missing to make them "
                        + "again: check that the web-service user has moodle/user:viewalldetails");
            } else if (active.contains(l.key())) {
                // the create's link replaces this one
                run.output.add(l.key().instanceIndex(), who + " (deleted by hand?), will be made again");
                known.remove(l.key());
            } else {
                // not active: no account to make, nothing left to suspend or remove
                run.output.add(l.key().instanceIndex(), who + " (deleted by hand?), forgotten");
                known.remove(l.key());
                if (!dryRun) {
                    links.forgetUser(l.key());
                }
            }
        }
        return known;
    }

    private Map<Long, MoodleAccount> accountsById(UserSyncSettings s, Map<UserKey, UserLink> known) {
        List<String> ids = known.values().stream().map(l -> String.valueOf(l.moodleId())).distinct().toList();
        Map<Long, MoodleAccount> out = new HashMap<>();
        usersByField("id", ids, j -> {
            MoodleAccount a = account(j, s);
            out.put(a.id(), a);
        });
        return out;
    }

    static MoodleAccount account(JsonNode j, UserSyncSettings s) {
        String type = null;
        for (JsonNode f : j.path("customfields")) {
            if (s.userTypeField() != null && s.userTypeField().equals(f.path("shortname").asText())) {
                type = f.path("value").asText(null);
            }
        }
        return new MoodleAccount(j.path("id").asLong(), j.path("username").asText(null), j.path("idnumber").asText(""),
                j.path("firstname").asText(null), j.path("lastname").asText(null), j.path("email").asText(null),
                j.path("auth").asText(null), j.path("suspended").asBoolean(false), type);
    }

    /**
     * The drift plan repairs hand edits. A person the main plan also updates gets one update with both (NetYpareo's
     * value wins on a field both touch), so a hand edit is not left for a later run; a person the main plan suspends
     * or revives is not repaired this run.
     */
    static UserPlan withDrift(UserPlan plan, UserPlan drift) {
        Set<UserKey> touched = new HashSet<>();
        Set<UserKey> suspendedOrRevived = new HashSet<>();
        plan.suspensions().forEach(u -> suspendedOrRevived.add(u.key()));
        plan.revivals().forEach(u -> suspendedOrRevived.add(u.key()));
        touched.addAll(suspendedOrRevived);
        Map<UserKey, UserPlan.Update> updates = new LinkedHashMap<>();
        plan.updates().forEach(u -> {
            updates.put(u.key(), u);
            touched.add(u.key());
        });
        Set<UserKey> repaired = new HashSet<>();
        for (UserPlan.Update d : drift.updates()) {
            UserPlan.Update main = updates.get(d.key());
            if (plan.suspensions().stream().anyMatch(x -> x.key().equals(d.key()))) {
                continue;
            }
            if (main == null) {
                updates.put(d.key(), d);
            } else {
                Map<String, org.ypsync.sync.FieldChange> changes = new LinkedHashMap<>(d.changes());
                changes.putAll(main.changes());
                updates.put(d.key(), new UserPlan.Update(main.key(), main.moodleId(), main.username(), main.idnumber(),
                        changes));
            }
            repaired.add(d.key());
        }
        List<UserPlan.Suspension> suspensions = new ArrayList<>(plan.suspensions());
        drift.suspensions().stream().filter(u -> !touched.contains(u.key())).forEach(u -> {
            suspensions.add(u);
            repaired.add(u.key());
        });
        List<UserPlan.Revival> revivals = new ArrayList<>(plan.revivals());
        drift.revivals().stream().filter(u -> !suspendedOrRevived.contains(u.key())).forEach(u -> {
            revivals.add(u);
            repaired.add(u.key());
        });
        repaired.removeAll(touched);
        return new UserPlan(plan.creates(), plan.adoptions(), new ArrayList<>(updates.values()), suspensions, revivals,
                plan.rejections(), plan.unchanged() - repaired.size(), plan.inactiveWithoutAccount(),
                drift.missingAccounts(), plan.managedPopulation(), plan.suspensionGuard());
    }

    private void prepareWrites(Exchange exchange, UserRun run) {
        UserPlan plan = run.plan;
        run.creates = run.writes.addAll(plan.creates(), UserPlan.Create::moodleUser,
                (c, outcome) -> created(exchange, run, c, outcome));
        List<Map<String, Object>> updates = new ArrayList<>();
        for (UserPlan.Adoption a : plan.adoptions()) {
            Optional<Map<String, Object>> update = a.moodleUpdate();
            if (update.isEmpty()) {
                adopted(exchange, run, a, false);
            } else {
                updates.add(run.writes.add(new LinkedHashMap<>(update.get()), outcome -> {
                    if (outcome.success()) {
                        adopted(exchange, run, a, true);
                    } else {
                        failed(exchange, run, a.key(), a.username(), outcome);
                    }
                }));
            }
        }
        // a person revived and updated in one run is one entry: the client refuses two entries for one user id
        Map<UserKey, UserPlan.Revival> revivals = new LinkedHashMap<>();
        plan.revivals().forEach(r -> revivals.put(r.key(), r));
        for (UserPlan.Update u : plan.updates()) {
            UserPlan.Revival r = revivals.remove(u.key());
            Map<String, Object> record = new LinkedHashMap<>(u.moodleUpdate());
            if (r != null) {
                record.put("suspended", 0);
            }
            updates.add(run.writes.add(record, outcome -> {
                updated(exchange, run, u, outcome);
                if (r != null && outcome.success()) {
                    suspension(exchange, run, r.key(), r.username(), false, outcome);
                }
            }));
        }
        updates.addAll(run.writes.addAll(plan.suspensionsToExecute(StageRuns.current(exchange).force()),
                sus -> Map.of("id", sus.moodleId(), "suspended", 1),
                (sus, outcome) -> suspension(exchange, run, sus.key(), sus.username(), true, outcome)));
        updates.addAll(run.writes.addAll(new ArrayList<>(revivals.values()), rev -> Map.of("id", rev.moodleId(), "suspended", 0),
                (rev, outcome) -> suspension(exchange, run, rev.key(), rev.username(), false, outcome)));
        run.updates = updates;
    }

    private void created(Exchange exchange, UserRun run, UserPlan.Create c, BatchResult.Outcome outcome) {
        if (!outcome.success()) {
            failed(exchange, run, c.key(), c.username(), outcome);
            return;
        }
        long id = outcome.result().path("id").asLong();
        UserLink link = new UserLink(c.key(), id, c.written(), false);
        links.saveUserLink(link, c.username());
        run.saved.put(c.key(), link);
        sent(run, c.key(), id, c.written());
        StageRuns.current(exchange).addCreated(1);
        run.output.add(c.key().instanceIndex(), SyncLog.line(c));
    }

    private void adopted(Exchange exchange, UserRun run, UserPlan.Adoption a, boolean written) {
        UserLink link = new UserLink(a.key(), a.moodleId(), a.written(), false);
        links.saveUserLink(link, a.username());
        run.saved.put(a.key(), link);
        if (written) {
            sent(run, a.key(), a.moodleId(), a.written());
        }
        StageRuns.current(exchange).addUpdated(1);
        run.output.add(a.key().instanceIndex(), SyncLog.line(a));
    }

    private void updated(Exchange exchange, UserRun run, UserPlan.Update u, BatchResult.Outcome outcome) {
        if (!outcome.success()) {
            failed(exchange, run, u.key(), u.username(), outcome);
            return;
        }
        UserLink link = run.saved.getOrDefault(u.key(), run.known.get(u.key()));
        Map<String, String> written = new LinkedHashMap<>(link.written());
        written.putAll(u.after());
        // what Moodle held of these fields is no longer known: the read-back of this run says it again
        Map<String, String> held = new LinkedHashMap<>(link.held());
        held.keySet().removeAll(u.after().keySet());
        UserLink now = link.withWritten(written).withHeld(held, link.heldAt());
        links.saveUserLink(now, written.get(UserFields.USERNAME));
        run.saved.put(u.key(), now);
        sent(run, u.key(), link.moodleId(), u.after());
        StageRuns.current(exchange).addUpdated(1);
        run.output.add(u.key().instanceIndex(), SyncLog.line(u));
    }

    private void suspension(Exchange exchange, UserRun run, UserKey key, String username, boolean suspend,
                            BatchResult.Outcome outcome) {
        if (!outcome.success()) {
            failed(exchange, run, key, username, outcome);
            return;
        }
        UserLink link = run.saved.getOrDefault(key, run.known.get(key));
        UserLink now = link.withSuspendedByUs(suspend);
        links.saveUserLink(now, link.written().get(UserFields.USERNAME));
        run.saved.put(key, now);
        if (suspend) {
            StageRuns.current(exchange).addSuspended(1);
        } else {
            StageRuns.current(exchange).addUpdated(1);
        }
        run.output.add(key.instanceIndex(), SyncLog.user(key.kind(), suspend ? "suspended" : "revived", username,
                key.idnumber()));
    }

    private void failed(Exchange exchange, UserRun run, UserKey key, String username, BatchResult.Outcome outcome) {
        Map<String, Object> payload = new LinkedHashMap<>(outcome.record());
        payload.remove("password");
        deadLetters.add(exchange, StageRuns.current(exchange).stage(), key.instanceIndex(), key.toString(),
                outcome.reason(), outcome.errorcode(), payload);
        run.output.add(key.instanceIndex(), SyncLog.user(key.kind(), "failed", username, key.idnumber()) + ": "
                + outcome.errorcode() + " " + outcome.reason());
    }

    private static void sent(UserRun run, UserKey key, long moodleId, Map<String, String> fields) {
        run.sent.merge(key, new Sent(moodleId, fields), (a, b) -> {
            Map<String, String> both = new LinkedHashMap<>(a.fields());
            both.putAll(b.fields());
            return new Sent(moodleId, both);
        });
    }

    /** The fields ypsync manages as Moodle answers them; a plain field Moodle hides from this user is left out. */
    static Map<String, String> readBack(JsonNode j, UserSyncSettings s) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : List.of(UserFields.USERNAME, UserFields.FIRSTNAME, UserFields.LASTNAME, UserFields.EMAIL,
                UserFields.IDNUMBER, UserFields.AUTH)) {
            if (j.has(f)) {
                m.put(f, j.path(f).asText(null));
            }
        }
        if (s.userTypeField() != null) {
            // Moodle leaves out the profile fields a user has no value for (and those that do not exist)
            m.put(UserFields.custom(s.userTypeField()), account(j, s).userType());
        }
        return m;
    }

    private Duration recheckEvery() {
        return Duration.ofHours(settings.optional("sync.users.field-recheck-hours").map(v -> Long.parseLong(v.trim()))
                .orElse(24L));
    }

    private int notKeptThreshold() {
        return settings.optional("sync.users.unkept-field-threshold").map(v -> Integer.parseInt(v.trim())).orElse(3);
    }

    /**
     * Tries again, at most once per sync.users.field-recheck-hours (or when asked), each field Moodle did not keep:
     * one person's value is written and read back. Kept again: the values held before are stale, so this run writes
     * the field for everybody ({@link FieldKeeping#current}). Returns the links, the tried person's updated.
     */
    private Map<UserKey, UserLink> recheck(UserRun run, Map<UserKey, UserLink> stored) {
        Instant now = Instant.now();
        Map<UserKey, UserLink> out = stored;
        for (FieldState st : List.copyOf(run.states.values())) {
            if (!FieldKeeping.recheckDue(st, recheckEvery(), now)) {
                continue;
            }
            String f = st.field();
            Optional<UserLink> target = stored.values().stream()
                    .filter(l -> l.held().containsKey(f) && l.written().get(f) != null && !l.suspendedByUs())
                    .min(java.util.Comparator.comparing(UserLink::key));
            if (target.isEmpty()) {
                continue; // nobody of this stage to try it on
            }
            UserLink l = target.get();
            UserPlan.Update probe = new UserPlan.Update(l.key(), l.moodleId(), l.written().get(UserFields.USERNAME),
                    l.key().idnumber(), Map.of(f, new org.ypsync.sync.FieldChange(l.held().get(f), l.written().get(f))));
            boolean stuck = false;
            if (moodle.updateUsers(List.of(probe.moodleUpdate())).get(0).success()) {
                List<JsonNode> back = moodle.getUsersByField("id", List.of(String.valueOf(l.moodleId())));
                stuck = !back.isEmpty() && java.util.Objects.equals(readBack(back.get(0), syncSettings()).get(f),
                        l.written().get(f));
            }
            FieldState after = FieldKeeping.afterRecheck(st, stuck, now);
            fieldStates.save(after);
            run.states.put(f, after);
            if (stuck) {
                Map<String, String> held = new LinkedHashMap<>(l.held());
                held.remove(f);
                UserLink tried = l.withHeld(held, now);
                links.saveHeld(List.of(tried));
                out = new HashMap<>(out);
                out.put(l.key(), tried);
                long lacking = out.values().stream().filter(x -> x.held().containsKey(f)).count();
                String line = FieldKeeping.keptAgainMessage(f, (int) lacking);
                LoggerFactory.getLogger("ypsync.report").info("{}", line);
            } else {
                LoggerFactory.getLogger("ypsync.report").info("Tried again whether Moodle keeps {}: not yet; next try "
                        + "after {} h (sync.users.field-recheck-hours)", f, recheckEvery().toHours());
            }
        }
        return out;
    }

    /**
     * After the user writes: reads back what was written ("compare what Moodle reads back, not what was sent"). A
     * value Moodle holds differently is held as Moodle has it, so no later run rewrites it; a field that does not
     * stick more than sync.users.unkept-field-threshold times is no longer kept, which the run says once.
     */
    public void verify(Exchange exchange) {
        UserRun run = exchange.getProperty(RUN, UserRun.class);
        if (!run.proceed || run.writes.isStopped() || run.sent.isEmpty()) {
            return;
        }
        UserSyncSettings s = syncSettings();
        Map<Long, Map<String, String>> back = new HashMap<>();
        usersByField("id", run.sent.values().stream().map(x -> String.valueOf(x.moodleId())).distinct().toList(),
                j -> back.put(j.path("id").asLong(), readBack(j, s)));
        Instant now = Instant.now();
        Map<String, Integer> notStuck = new java.util.TreeMap<>();
        Map<String, String[]> example = new HashMap<>();
        Map<String, Boolean> nothingHeld = new HashMap<>();
        List<UserLink> changed = new ArrayList<>();
        for (Map.Entry<UserKey, Sent> e : run.sent.entrySet()) {
            Map<String, String> readBack = back.get(e.getValue().moodleId());
            UserLink link = run.saved.get(e.getKey());
            if (readBack == null || link == null) {
                continue;
            }
            Map<String, String> notKept = FieldKeeping.notKept(e.getValue().fields(), readBack);
            Map<String, String> held = FieldKeeping.held(link.held(), e.getValue().fields().keySet(), notKept);
            if (!held.equals(link.held())) {
                UserLink now2 = link.withHeld(held, now);
                changed.add(now2);
                run.saved.put(e.getKey(), now2);
            }
            notKept.forEach((f, moodleValue) -> {
                notStuck.merge(f, 1, Integer::sum);
                example.putIfAbsent(f, new String[] {e.getValue().fields().get(f), moodleValue});
                nothingHeld.merge(f, moodleValue == null, Boolean::logicalAnd);
            });
        }
        links.saveHeld(changed);
        StageRun stageRun = StageRuns.current(exchange);
        notStuck.forEach((f, n) -> {
            FieldState before = run.states.getOrDefault(f, FieldState.fresh(f));
            FieldState after = FieldKeeping.afterReadBack(before, n, notKeptThreshold(), now);
            if (after.equals(before)) {
                return;
            }
            fieldStates.save(after);
            run.states.put(f, after);
            if (before.kept() && !after.kept()) {
                String message = FieldKeeping.notKeptMessage(f, "sync.users.usertype-field", example.get(f)[0],
                        example.get(f)[1], nothingHeld.get(f));
                LoggerFactory.getLogger("ypsync.report").warn("{}", message);
                stageRun.warn(message);
            }
        });
        run.sent.clear();
    }

    /** The site cohort memberships of this stage's people: active users in the cohorts of their sites. */
    private MembershipPlan membership(UserRun run, StageRun stage, boolean readBack) {
        Map<String, CohortLink> siteCohorts = new HashMap<>(links.cohortLinks(CohortFamily.SITE));
        // the cohort of a site no longer in use is left as it is (as the site-cohorts stage says), never emptied
        Set<String> inUse = new HashSet<>();
        DesiredState.siteCohorts(cache.sites(), Map.of()).forEach(c -> inUse.add(c.idnumber()));
        siteCohorts.keySet().retainAll(inUse);
        List<DesiredUser> mine = run.desired.stream().filter(d -> run.kinds.contains(d.kind())).toList();
        Map<String, Set<UserKey>> wanted = MembershipPlanner.desiredSiteMembers(siteCohorts.keySet(), mine, false);
        wanted.keySet().retainAll(siteCohorts.keySet());
        Map<UserKey, UserLink> userLinks = links.userLinks(run.kinds);
        Map<String, Set<UserKey>> have = links.members(siteCohorts.keySet(), run.kinds);
        if (readBack && drift.due(stage.stage())) {
            have = CohortStage.membersInMoodle(moodle, links, have, siteCohorts, userLinks, !stage.dryRun());
        }
        return CohortStage.memberPlan(wanted, have, userLinks, settings.decimal("sync.guard.max-removal-share"),
                settings.integer("sync.guard.min-cohort-size"));
    }

    /** After the user writes: the site cohort members to add and remove, with the ids Moodle just gave. */
    public void planMembers(Exchange exchange) {
        UserRun run = exchange.getProperty(RUN, UserRun.class);
        if (!run.proceed || run.writes.isStopped()) {
            return;
        }
        Map<String, CohortLink> siteCohorts = links.cohortLinks(CohortFamily.SITE);
        // the read-back of plan() already forgot the members removed by hand
        MembershipPlan plan = membership(run, StageRuns.current(exchange), false);
        for (MembershipPlan.Skipped s : plan.skipped()) {
            run.output.add(s.key().instanceIndex(), SyncLog.skipped(s));
        }
        boolean force = StageRuns.current(exchange).force();
        run.memberAdds = run.writes.addAll(plan.adds(),
                m -> MoodleStageRun.memberToAdd(siteCohorts.get(m.cohortIdnumber()).moodleId(), m.moodleUserId()),
                (m, outcome) -> member(exchange, run, m, true, outcome));
        run.memberRemoves = run.writes.addAll(plan.removalsToExecute(force),
                m -> MoodleStageRun.memberToRemove(siteCohorts.get(m.cohortIdnumber()).moodleId(), m.moodleUserId()),
                (m, outcome) -> member(exchange, run, m, false, outcome));
        // The user writes are done: what is left to send are the members. Letting go of the population's desired
        // state, links and user plan (the summary line is already made) keeps the largest split of the stage
        // from holding them all.
        run.desired = List.of();
        run.known = Map.of();
        run.creates = List.of();
        run.updates = List.of();
        run.plan = null;
    }

    private void member(Exchange exchange, UserRun run, MembershipPlan.Member m, boolean add, BatchResult.Outcome outcome) {
        if (!outcome.success()) {
            deadLetters.add(exchange, StageRuns.current(exchange).stage(), m.key().instanceIndex(),
                    m.cohortIdnumber() + " " + m.key(), outcome.reason(), outcome.errorcode(), outcome.record());
            return;
        }
        memberWritten(m, add);
        if (settings.bool("sync.log.members")) {
            run.output.add(m.key().instanceIndex(), add ? SyncLog.added(m) : SyncLog.removed(m));
        }
    }

    /** Prints the report and the summary line. */
    public void finish(Exchange exchange) {
        UserRun run = exchange.getProperty(RUN, UserRun.class);
        run.finish(StageRuns.current(exchange), settings.instances());
        if (run.summary != null) {
            LoggerFactory.getLogger("ypsync.report").info("{}", run.summary);
        }
    }
}
