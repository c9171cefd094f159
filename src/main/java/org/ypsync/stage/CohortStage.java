package org.ypsync.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.ypsync.moodle.BatchResult;
import org.ypsync.moodle.MoodleClient;
import org.ypsync.ops.DeadLetters;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.Settings;
import org.ypsync.ops.StageRuns;
import org.ypsync.store.CacheReader;
import org.ypsync.store.LinkRepository;
import org.ypsync.sync.CohortFamily;
import org.ypsync.sync.CohortLink;
import org.ypsync.sync.CohortPlan;
import org.ypsync.sync.CohortPlanner;
import org.ypsync.sync.DesiredCohort;
import org.ypsync.sync.MembershipPlan;
import org.ypsync.sync.MembershipPlanner;
import org.ypsync.sync.MoodleCohort;
import org.ypsync.sync.PlanText;
import org.ypsync.sync.SyncLog;
import org.ypsync.sync.UserKey;
import org.ypsync.sync.UserKind;
import org.ypsync.sync.UserLink;

/**
 * The cohort stages: site cohorts ("Synchro des cohortes de site"), diploma group cohorts and FC group cohorts
 * ("Synchro des groupes ..."). Desired cohorts come from the cache, known ones from the link table (or, every
 * sync.drift.every-runs runs, from what Moodle holds), the plan from the pure planners; the routes send its writes
 * through the Moodle batch routes.
 */
public final class CohortStage extends MoodleStage {
    /** Exchange property: the run of a cohort stage. */
    public static final String RUN = "cohortRun";

    public CohortStage(Settings settings, CacheReader cache, LinkRepository links, MoodleClient moodle,
                       DeadLetters deadLetters, DriftSchedule drift) {
        super(settings, cache, links, moodle, deadLetters, drift);
    }

    /** What a cohort stage run carries between its route steps. */
    public static final class CohortRun extends MoodleStageRun {
        private final CohortFamily family;
        private CohortPlan plan;

        CohortRun(CohortFamily family) {
            super(family == CohortFamily.SITE ? "Syncing cohorts..."
                    : family == CohortFamily.FC_GROUP ? "Syncing FC groups..." : "Syncing groups...");
            this.family = family;
        }
    }

    private static CohortFamily family(String stage) {
        return switch (stage) {
            case "site-cohorts" -> CohortFamily.SITE;
            case "groups" -> CohortFamily.DIPLOMA_GROUP;
            case "fc-groups" -> CohortFamily.FC_GROUP;
            default -> throw new IllegalArgumentException(stage);
        };
    }

    /** Plans the cohorts of the stage: creates, updates, adoptions, and cohorts left as they are. */
    public void plan(Exchange exchange) {
        StageRun stageRun = StageRuns.current(exchange);
        moodle = MoodleWriter.renewed(moodle);
        CohortFamily family = family(stageRun.stage());
        CohortRun run = new CohortRun(family);
        exchange.setProperty(RUN, run);
        exchange.setProperty(MoodleWrites.PROPERTY, run.writes);

        List<DesiredCohort> desired = desired(family);
        Map<String, CohortLink> known = links.cohortLinks(family);
        Map<String, MoodleCohort> existing = new HashMap<>();
        for (JsonNode c : moodle.getCohorts()) {
            MoodleCohort mc = new MoodleCohort(c.path("id").asLong(), c.path("idnumber").asText(""),
                    c.path("name").asText(""), c.path("description").asText(""));
            existing.putIfAbsent(mc.idnumber(), mc);
        }
        if (drift.due(stageRun.stage())) {
            Set<String> wanted = new HashSet<>();
            desired.forEach(c -> wanted.add(c.idnumber()));
            known = repairView(known, existing, run, wanted);
        }
        CohortPlan plan = CohortPlanner.plan(desired, known, existing);
        run.plan = plan;
        stageRun.addRead(desired.size());
        stageRun.addUnchanged(plan.unchanged());
        for (CohortPlan.Rejection r : plan.rejections()) {
            deadLetters.add(exchange, stageRun.stage(), StageOutput.instanceOf(r.idnumber()), r.idnumber(), r.reason(),
                    "rejected", r.name());
            run.output.add(StageOutput.instanceOf(r.idnumber()), SyncLog.line(r));
        }
        for (CohortLink left : plan.left()) {
            run.output.add(StageOutput.instanceOf(left.idnumber()), SyncLog.left(left));
        }
        if (stageRun.dryRun()) {
            PlanText.render(family.plural(), plan).lines().forEach(stageRun::plan);
            run.proceed = false;
            return;
        }
        Map<String, Object> context = categoryType();
        run.creates = run.writes.addAll(plan.creates(), c -> cohortRecord(null, c.cohort(), context),
                (c, outcome) -> created(exchange, run, c, outcome));
        List<Map<String, Object>> updates = new ArrayList<>();
        updates.addAll(run.writes.addAll(plan.updates(), u -> cohortRecord(u.moodleId(), u.cohort(), context),
                (u, outcome) -> saved(exchange, run, u.cohort(), u.moodleId(), "updated", outcome)));
        for (CohortPlan.Adoption a : plan.adoptions()) {
            if (a.changes().isEmpty()) {
                links.saveCohortLink(family, new CohortLink(a.cohort().idnumber(), a.moodleId(), a.cohort().written()));
                run.output.add(StageOutput.instanceOf(a.cohort().idnumber()), SyncLog.line(a));
            } else {
                updates.add(run.writes.add(new LinkedHashMap<>(cohortRecord(a.moodleId(), a.cohort(), context)),
                        outcome -> saved(exchange, run, a.cohort(), a.moodleId(), "adopted", outcome)));
            }
        }
        run.updates = updates;
    }

    /** For drift repair: the known state is what Moodle holds, so a hand edit shows up as a change to undo. */
    private Map<String, CohortLink> repairView(Map<String, CohortLink> known, Map<String, MoodleCohort> existing,
                                               CohortRun run, Set<String> desired) {
        Map<Long, MoodleCohort> byId = new HashMap<>();
        existing.values().forEach(c -> byId.put(c.id(), c));
        Map<String, CohortLink> view = new HashMap<>();
        for (CohortLink link : known.values()) {
            MoodleCohort actual = byId.get(link.moodleId());
            if (actual == null) {
                // Deleted by hand in Moodle: forget the link, the planner recreates (or adopts) it if still synced.
                if (desired.contains(link.idnumber())) {
                    run.output.add(StageOutput.instanceOf(link.idnumber()), run.family.label() + " missing in Moodle, "
                            + "will be recreated: [" + link.idnumber() + "]");
                }
                continue;
            }
            view.put(link.idnumber(), new CohortLink(link.idnumber(), link.moodleId(), actual.fields()));
        }
        return view;
    }

    private List<DesiredCohort> desired(CohortFamily family) {
        Map<Integer, String> names = new HashMap<>();
        settings.instances().forEach(i -> names.put(i.index(), i.name()));
        List<CacheReader.SiteRow> sites = cache.sites();
        return switch (family) {
            case SITE -> DesiredState.siteCohorts(sites, names);
            case DIPLOMA_GROUP -> DesiredState.groupCohorts(cache.groups("DIPLOMA"), family, sites);
            case FC_GROUP -> DesiredState.groupCohorts(activeFcGroups(), family, sites);
        };
    }

    /** FC groups past their end date plus sync.fc.grace-days are no longer synced. */
    private List<CacheReader.GroupRow> activeFcGroups() {
        LocalDate limit = LocalDate.now().minusDays(settings.integer("sync.fc.grace-days"));
        return cache.groups("FC").stream().filter(g -> g.end() == null || !g.end().isBefore(limit)).toList();
    }

    private Map<String, Object> categoryType() {
        String context = settings.optional("sync.cohorts.context").orElse("system");
        if (context.equals("system")) {
            return Map.of("type", "system");
        }
        if (context.startsWith("category:")) {
            return Map.of("type", "idnumber", "value", context.substring("category:".length()));
        }
        throw new IllegalStateException("sync.cohorts.context must be 'system' or 'category:<idnumber>', not '" + context + "'");
    }

    private static Map<String, Object> cohortRecord(Long id, DesiredCohort c, Map<String, Object> context) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (id != null) {
            m.put("id", id);
        }
        m.put("categorytype", context);
        m.put("name", c.name());
        m.put("idnumber", c.idnumber());
        m.put("description", c.description());
        return m;
    }

    private void created(Exchange exchange, CohortRun run, CohortPlan.Create c, BatchResult.Outcome outcome) {
        StageRun stageRun = StageRuns.current(exchange);
        int instance = StageOutput.instanceOf(c.cohort().idnumber());
        if (outcome.success()) {
            long id = outcome.result().path("id").asLong();
            // a cohort recreated after a hand deletion starts empty: the members ypsync remembers are gone with it
            links.forgetMembers(c.cohort().idnumber());
            links.saveCohortLink(run.family, new CohortLink(c.cohort().idnumber(), id, c.cohort().written()));
            stageRun.addCreated(1);
            run.output.add(instance, SyncLog.line(c));
        } else {
            failed(exchange, run, c.cohort(), outcome);
        }
    }

    private void saved(Exchange exchange, CohortRun run, DesiredCohort cohort, long moodleId, String verb,
                       BatchResult.Outcome outcome) {
        StageRun stageRun = StageRuns.current(exchange);
        if (outcome.success()) {
            links.saveCohortLink(run.family, new CohortLink(cohort.idnumber(), moodleId, cohort.written()));
            stageRun.addUpdated(1);
            run.output.add(StageOutput.instanceOf(cohort.idnumber()),
                    SyncLog.cohort(run.family, verb, cohort.name(), cohort.idnumber()));
        } else {
            failed(exchange, run, cohort, outcome);
        }
    }

    private void failed(Exchange exchange, CohortRun run, DesiredCohort cohort, BatchResult.Outcome outcome) {
        int instance = StageOutput.instanceOf(cohort.idnumber());
        deadLetters.add(exchange, StageRuns.current(exchange).stage(), instance, cohort.idnumber(), outcome.reason(),
                outcome.errorcode(), outcome.record());
        run.output.add(instance, SyncLog.cohort(run.family, "failed", cohort.name(), cohort.idnumber()) + ": "
                + outcome.errorcode() + " " + outcome.reason());
    }

    /**
     * Group cohorts only: plans the members (the group's students as NetYpareo lists them) against the members
     * ypsync put in. A removal guard trip stops the stage before it writes members, unless --force.
     */
    public void planMembers(Exchange exchange) {
        StageRun stageRun = StageRuns.current(exchange);
        CohortRun run = exchange.getProperty(RUN, CohortRun.class);
        if (run.family == CohortFamily.SITE || (!run.proceed && !stageRun.dryRun())) {
            return;
        }
        Map<String, CohortLink> cohortLinks = links.cohortLinks(run.family);
        Set<String> desiredCohorts = new HashSet<>();
        desired(run.family).forEach(c -> desiredCohorts.add(c.idnumber()));
        Map<String, Set<UserKey>> wanted = new HashMap<>();
        String family = run.family == CohortFamily.FC_GROUP ? "FC" : "DIPLOMA";
        cache.groupMembers(family, m -> {
            String idnumber = run.family == CohortFamily.FC_GROUP
                    ? org.ypsync.sync.Naming.fcGroupIdnumber(m.instance(), String.valueOf(m.groupCode()))
                    : org.ypsync.sync.Naming.diplomaGroupIdnumber(m.instance(), String.valueOf(m.groupCode()));
            if (desiredCohorts.contains(idnumber)) {
                wanted.computeIfAbsent(idnumber, k -> new HashSet<>())
                        .add(new UserKey(m.instance(), UserKind.STUDENT, String.valueOf(m.studentCode())));
            }
        });
        desiredCohorts.forEach(c -> wanted.putIfAbsent(c, new HashSet<>()));
        Map<UserKey, UserLink> students = links.userLinks(Set.of(UserKind.STUDENT));
        Map<String, Set<UserKey>> have = links.members(desiredCohorts, Set.of(UserKind.STUDENT));
        if (drift.due(stageRun.stage())) {
            have = membersInMoodle(moodle, links, have, cohortLinks, students, !stageRun.dryRun());
        }
        MembershipPlan plan = memberPlan(wanted, have, students, settings.decimal("sync.guard.max-removal-share"),
                settings.integer("sync.guard.min-cohort-size"));
        for (MembershipPlan.Skipped s : plan.skipped()) {
            run.output.add(s.key().instanceIndex(), SyncLog.skipped(s));
        }
        if (stageRun.dryRun()) {
            PlanText.render(run.family.plural() + " members", plan, stageRun.force()).lines().forEach(stageRun::plan);
            return;
        }
        if (!plan.removalGuards().isEmpty() && !stageRun.force()) {
            String why = "removal guard: " + String.join("; ", plan.removalGuards().values())
                    + " (sync.guard.max-removal-share); nothing written to members; run with --force to accept";
            stageRun.fail(why);
            run.output.add(0, why);
            return;
        }
        run.memberAdds = run.writes.addAll(plan.adds(),
                m -> MoodleStageRun.memberToAdd(cohortLinks.get(m.cohortIdnumber()).moodleId(), m.moodleUserId()),
                (m, outcome) -> member(exchange, run, m, true, outcome));
        run.memberRemoves = run.writes.addAll(plan.removalsToExecute(stageRun.force()),
                m -> MoodleStageRun.memberToRemove(cohortLinks.get(m.cohortIdnumber()).moodleId(), m.moodleUserId()),
                (m, outcome) -> member(exchange, run, m, false, outcome));
    }

    /**
     * Drift repair of memberships: of the members ypsync put in, those no longer in the Moodle cohort (removed by
     * hand) are forgotten, so the plan adds them again when they still belong. Members added by hand are not read:
     * they are not ypsync's to remove.
     */
    static Map<String, Set<UserKey>> membersInMoodle(MoodleClient moodle, LinkRepository links,
                                                     Map<String, Set<UserKey>> have, Map<String, CohortLink> cohortLinks,
                                                     Map<UserKey, UserLink> userLinks, boolean forget) {
        List<Long> ids = new ArrayList<>();
        have.keySet().forEach(c -> {
            if (cohortLinks.containsKey(c)) {
                ids.add(cohortLinks.get(c).moodleId());
            }
        });
        if (ids.isEmpty()) {
            return have;
        }
        Map<Long, List<Long>> actual = moodle.getCohortMembers(ids);
        Map<String, Set<UserKey>> out = new HashMap<>();
        have.forEach((cohort, keys) -> {
            CohortLink link = cohortLinks.get(cohort);
            List<Long> inMoodle = link == null ? null : actual.get(link.moodleId());
            if (inMoodle == null) {
                out.put(cohort, keys);
                return;
            }
            Set<Long> present = new HashSet<>(inMoodle);
            Set<UserKey> kept = new HashSet<>();
            for (UserKey k : keys) {
                UserLink u = userLinks.get(k);
                if (u == null || present.contains(u.moodleId())) {
                    kept.add(k);
                } else if (forget) {
                    links.removeMember(cohort, k);
                }
            }
            out.put(cohort, kept);
        });
        return out;
    }

    /**
     * The member plan, where an add needs a working account but a removal only an account: a person ypsync suspended
     * (a leaver, someone gone from NetYpareo) must still leave the cohorts it no longer belongs to. A suspended person
     * still wanted keeps its membership and is not added anew.
     */
    static MembershipPlan memberPlan(Map<String, Set<UserKey>> wanted, Map<String, Set<UserKey>> have,
                                     Map<UserKey, UserLink> userLinks, double maxRemovalShare, int minCohortSize) {
        Map<UserKey, Long> ids = new HashMap<>();
        userLinks.forEach((k, l) -> ids.put(k, l.moodleId()));
        Map<String, Set<UserKey>> addable = new HashMap<>();
        wanted.forEach((cohort, keys) -> {
            Set<UserKey> current = have.getOrDefault(cohort, Set.of());
            Set<UserKey> w = new HashSet<>();
            for (UserKey k : keys) {
                UserLink l = userLinks.get(k);
                // leavers (accounts ypsync suspended) leave group cohorts too, as they leave their site cohorts
                if (l == null || !l.suspendedByUs()) {
                    w.add(k);
                }
            }
            addable.put(cohort, w);
        });
        return MembershipPlanner.plan(addable, have, ids, maxRemovalShare, minCohortSize);
    }

    private void member(Exchange exchange, CohortRun run, MembershipPlan.Member m, boolean add,
                        BatchResult.Outcome outcome) {
        StageRun stageRun = StageRuns.current(exchange);
        if (outcome.success()) {
            memberWritten(m, add);
            run.output.add(m.key().instanceIndex(), add ? SyncLog.added(m) : SyncLog.removed(m));
            stageRun.addUpdated(1);
        } else {
            deadLetters.add(exchange, stageRun.stage(), m.key().instanceIndex(), m.cohortIdnumber() + " " + m.key(),
                    outcome.reason(), outcome.errorcode(), outcome.record());
        }
    }

    /** Prints the report and the summary. */
    public void finish(Exchange exchange) {
        CohortRun run = exchange.getProperty(RUN, CohortRun.class);
        run.finish(StageRuns.current(exchange), settings.instances());
        if (run.plan != null) {
            org.slf4j.LoggerFactory.getLogger("ypsync.report").info("{}", SyncLog.summary(run.family.plural(), run.plan));
        }
    }
}
