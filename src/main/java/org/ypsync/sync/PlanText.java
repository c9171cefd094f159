package org.ypsync.sync;

import java.util.Map;

/**
 * Human-readable plan for --dry-run: what would be created, changed (before -> after), suspended, revived, added
 * and removed, and the guard verdicts. Unchanged records print nothing. Passwords are never printed.
 */
public final class PlanText {
    private PlanText() {
    }

    public static String render(UserPlan p) {
        return render("Users", p, false);
    }

    public static String render(String label, UserPlan p, boolean force) {
        StringBuilder sb = new StringBuilder();
        sb.append(label).append(" plan:\n");
        for (UserPlan.Create c : p.creates()) {
            sb.append("  create ").append(c.key().kind().value()).append(" [").append(c.username()).append("] [")
                    .append(c.idnumber()).append("]:");
            UserPlan.ordered(c.fields()).forEach((k, v) -> {
                if (!k.equals(UserFields.USERNAME) && !k.equals(UserFields.IDNUMBER)) {
                    sb.append(' ').append(k).append("='").append(v).append('\'');
                }
            });
            if (c.password() != null) {
                sb.append(" password=(generated)");
            }
            if (c.createPassword()) {
                sb.append(" createpassword=1");
            }
            sb.append('\n');
        }
        for (UserPlan.Adoption a : p.adoptions()) {
            sb.append("  adopt ").append(a.key().kind().value()).append(" [").append(a.username()).append("] [")
                    .append(a.idnumber()).append("] = existing Moodle user id ").append(a.moodleId())
                    .append(a.unsuspend() ? ", unsuspend" : "").append('\n');
            changes(sb, a.changes());
        }
        for (UserPlan.Update u : p.updates()) {
            sb.append("  update ").append(u.key().kind().value()).append(" [").append(u.username()).append("] [")
                    .append(u.idnumber()).append("] (Moodle user id ").append(u.moodleId()).append(")\n");
            changes(sb, u.changes());
        }
        boolean held = p.suspensionGuard().isPresent() && !force;
        for (UserPlan.Suspension s : p.suspensions()) {
            sb.append("  suspend ").append(s.key().kind().value()).append(" [").append(s.username()).append("] [")
                    .append(s.idnumber()).append("] (Moodle user id ").append(s.moodleId()).append("): ")
                    .append(s.reason()).append(held ? " [HELD BACK by guard]" : "").append('\n');
        }
        for (UserPlan.Revival r : p.revivals()) {
            sb.append("  revive ").append(r.key().kind().value()).append(" [").append(r.username()).append("] [")
                    .append(r.idnumber()).append("] (Moodle user id ").append(r.moodleId()).append(")\n");
        }
        for (UserPlan.Rejection r : p.rejections()) {
            sb.append("  reject ").append(r.key()).append(" [").append(r.login()).append("]: ").append(r.reason())
                    .append('\n');
        }
        for (UserKey k : p.missingAccounts()) {
            sb.append("  missing ").append(k).append(": linked Moodle account not found\n");
        }
        p.suspensionGuard().ifPresent(g -> sb.append("  GUARD ").append(g)
                .append(force ? " (overridden by --force)" : "").append('\n'));
        sb.append("  ").append(SyncLog.summary(label, p)).append('\n');
        return sb.toString();
    }

    public static String render(String label, CohortPlan p) {
        StringBuilder sb = new StringBuilder();
        sb.append(label).append(" plan:\n");
        for (CohortPlan.Create c : p.creates()) {
            sb.append("  create ").append(c.cohort().family().label().toLowerCase(java.util.Locale.ROOT)).append(' ')
                    .append(c.cohort().name()).append(" [").append(c.cohort().idnumber()).append("]\n");
        }
        for (CohortPlan.Adoption a : p.adoptions()) {
            sb.append("  adopt ").append(a.cohort().family().label().toLowerCase(java.util.Locale.ROOT)).append(' ')
                    .append(a.cohort().name()).append(" [").append(a.cohort().idnumber())
                    .append("] = existing Moodle cohort id ").append(a.moodleId()).append('\n');
            changes(sb, a.changes());
        }
        for (CohortPlan.Update u : p.updates()) {
            sb.append("  update ").append(u.cohort().family().label().toLowerCase(java.util.Locale.ROOT)).append(' ')
                    .append(u.cohort().name()).append(" [").append(u.cohort().idnumber()).append("] (Moodle cohort id ")
                    .append(u.moodleId()).append(")\n");
            changes(sb, u.changes());
        }
        for (CohortLink l : p.left()) {
            sb.append("  leave ").append(l.written().getOrDefault(DesiredCohort.NAME, "")).append(" [")
                    .append(l.idnumber()).append("]: no longer in NetYpareo, left as it is\n");
        }
        for (CohortPlan.Rejection r : p.rejections()) {
            sb.append("  reject ").append(r.name()).append(" [").append(r.idnumber()).append("]: ").append(r.reason())
                    .append('\n');
        }
        sb.append("  ").append(SyncLog.summary(label, p)).append('\n');
        return sb.toString();
    }

    public static String render(String label, MembershipPlan p, boolean force) {
        StringBuilder sb = new StringBuilder();
        sb.append(label).append(" plan:\n");
        for (MembershipPlan.Member m : p.adds()) {
            sb.append("  add ").append(m.key()).append(" (Moodle user id ").append(m.moodleUserId()).append(") to [")
                    .append(m.cohortIdnumber()).append("]\n");
        }
        for (MembershipPlan.Member m : p.removes()) {
            boolean held = !force && p.removalGuards().containsKey(m.cohortIdnumber());
            sb.append("  remove ").append(m.key()).append(" (Moodle user id ").append(m.moodleUserId())
                    .append(") from [").append(m.cohortIdnumber()).append("]").append(held ? " [HELD BACK by guard]" : "")
                    .append('\n');
        }
        for (MembershipPlan.Skipped s : p.skipped()) {
            sb.append("  skip ").append(s.key()).append(" in [").append(s.cohortIdnumber()).append("]: ")
                    .append(s.reason()).append('\n');
        }
        p.removalGuards().values().stream().sorted().forEach(g -> sb.append("  GUARD ").append(g)
                .append(force ? " (overridden by --force)" : "").append('\n'));
        sb.append("  ").append(SyncLog.summary(label, p)).append('\n');
        return sb.toString();
    }

    public static String render(CoursePlan.Categories categories, CoursePlan p) {
        StringBuilder sb = new StringBuilder("Courses plan:\n");
        categories.creates().forEach(c -> sb.append("  create category ").append(c.name()).append(" [")
                .append(c.idnumber()).append("]\n"));
        categories.adoptions().forEach((c, id) -> sb.append("  adopt category ").append(c.name()).append(" [")
                .append(c.idnumber()).append("] = existing Moodle category id ").append(id).append('\n'));
        for (CoursePlan.Create c : p.creates()) {
            sb.append("  create course ").append(c.course().fullname()).append(" [").append(c.course().idnumber())
                    .append("] shortname='").append(c.course().shortname()).append("' category [")
                    .append(c.course().categoryIdnumber()).append("]\n");
        }
        for (CoursePlan.Adoption a : p.adoptions()) {
            sb.append("  adopt course ").append(a.course().fullname()).append(" [").append(a.course().idnumber())
                    .append("] = existing Moodle course id ").append(a.moodleId()).append('\n');
            changes(sb, a.changes());
        }
        for (CoursePlan.Update u : p.updates()) {
            sb.append("  update course ").append(u.course().fullname()).append(" [").append(u.course().idnumber())
                    .append("] (Moodle course id ").append(u.moodleId()).append(")\n");
            changes(sb, u.changes());
        }
        p.hides().forEach(l -> sb.append("  hide course [").append(l.idnumber())
                .append("]: no longer in NetYpareo (sync.courses.hide-gone)\n"));
        p.left().forEach(l -> sb.append("  leave course [").append(l.idnumber())
                .append("]: no longer in NetYpareo, left as it is\n"));
        p.rejections().forEach(r -> sb.append("  reject course ").append(r.shortname()).append(" [")
                .append(r.idnumber()).append("]: ").append(r.reason()).append('\n'));
        sb.append("  ").append(SyncLog.summary(p)).append('\n');
        return sb.toString();
    }

    public static String render(EnrolmentPlan p, boolean force) {
        StringBuilder sb = new StringBuilder("Enrolments plan:\n");
        boolean held = !p.guards().isEmpty() && !force;
        enrolments(sb, "enrol", p.enrols(), false);
        enrolments(sb, "suspend", p.suspensions(), held);
        enrolments(sb, "revive", p.revivals(), false);
        enrolments(sb, "re-date", p.dateChanges(), false);
        p.skipped().forEach(s -> sb.append("  skip ").append(s.role().value()).append(' ').append(s.key())
                .append(" in [").append(s.courseIdnumber()).append("]: ").append(s.reason()).append('\n'));
        p.guards().values().stream().sorted().forEach(g -> sb.append("  GUARD ").append(g)
                .append(force ? " (overridden by --force)" : "").append('\n'));
        sb.append("  ").append(SyncLog.summary(p)).append('\n');
        return sb.toString();
    }

    private static void enrolments(StringBuilder sb, String verb, java.util.List<EnrolmentPlan.Enrolment> list,
                                   boolean held) {
        for (EnrolmentPlan.Enrolment e : list) {
            sb.append("  ").append(verb).append(' ').append(e.role().value()).append(' ').append(e.key())
                    .append(" (Moodle user id ").append(e.moodleUserId()).append(") in [").append(e.courseIdnumber())
                    .append("]").append(e.timestart() != 0 || e.timeend() != 0 ? " dates " + e.timestart() + "-"
                            + e.timeend() : "").append(held ? " [HELD BACK by guard]" : "").append('\n');
        }
    }

    private static void changes(StringBuilder sb, Map<String, FieldChange> changes) {
        UserPlan.orderedChanges(changes).forEach((k, c) -> sb.append("      ").append(k).append(": ")
                .append(c.before() == null ? "(none)" : c.before()).append(" -> ").append(c.after()).append('\n'));
    }
}
