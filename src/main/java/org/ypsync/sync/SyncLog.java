package org.ypsync.sync;

import java.util.ArrayList;
import java.util.List;

/**
 * Log lines in the shape operators know from the original plugin, e.g. "Site cohort updated: SITE1 [SITE_S1]" and
 * "User student updated: [apprenant10007] [6106273]" ([username] [idnumber]). The glue logs a line after each action
 * succeeded; {@link #lines} gives every line of a plan, then its summary.
 */
public final class SyncLog {
    private SyncLog() {
    }

    public static String user(UserKind kind, String verb, String username, String idnumber) {
        return "User " + kind.value() + " " + verb + ": [" + nz(username) + "] [" + nz(idnumber) + "]";
    }

    public static String cohort(CohortFamily family, String verb, String name, String idnumber) {
        return family.label() + " " + verb + ": " + nz(name) + " [" + nz(idnumber) + "]";
    }

    public static String line(UserPlan.Create c) {
        return user(c.key().kind(), "created", c.username(), c.idnumber());
    }

    public static String line(UserPlan.Adoption a) {
        return user(a.key().kind(), "adopted", a.username(), a.idnumber());
    }

    public static String line(UserPlan.Update u) {
        return user(u.key().kind(), "updated", u.username(), u.idnumber());
    }

    public static String line(UserPlan.Suspension s) {
        return user(s.key().kind(), "suspended", s.username(), s.idnumber()) + " (" + s.reason() + ")";
    }

    public static String line(UserPlan.Revival r) {
        return user(r.key().kind(), "revived", r.username(), r.idnumber());
    }

    public static String line(UserPlan.Rejection r) {
        return user(r.key().kind(), "rejected", r.login(), r.key().idnumber()) + ": " + r.reason();
    }

    public static String line(CohortPlan.Create c) {
        return cohort(c.cohort().family(), "created", c.cohort().name(), c.cohort().idnumber());
    }

    public static String line(CohortPlan.Adoption a) {
        return cohort(a.cohort().family(), "adopted", a.cohort().name(), a.cohort().idnumber());
    }

    public static String line(CohortPlan.Update u) {
        return cohort(u.cohort().family(), "updated", u.cohort().name(), u.cohort().idnumber());
    }

    public static String left(CohortLink l) {
        CohortFamily f = Naming.familyOf(l.idnumber()).orElse(null);
        String name = l.written().getOrDefault(DesiredCohort.NAME, "");
        String tail = " [" + l.idnumber() + "] (no longer in NetYpareo, left as it is)";
        return (f == null ? "Cohort" : f.label()) + " left: " + name + tail;
    }

    public static String line(CohortPlan.Rejection r) {
        return cohort(r.family(), "rejected", r.name(), r.idnumber()) + ": " + r.reason();
    }

    public static String added(MembershipPlan.Member m) {
        return "Cohort member added: [" + m.cohortIdnumber() + "] " + m.key().kind().value() + " ["
                + m.key().idnumber() + "]";
    }

    public static String removed(MembershipPlan.Member m) {
        return "Cohort member removed: [" + m.cohortIdnumber() + "] " + m.key().kind().value() + " ["
                + m.key().idnumber() + "]";
    }

    public static String skipped(MembershipPlan.Skipped s) {
        return "Cohort member skipped: [" + s.cohortIdnumber() + "] " + s.key().kind().value() + " ["
                + s.key().idnumber() + "]: " + s.reason();
    }

    public static String course(String verb, String fullname, String idnumber) {
        return "Course " + verb + ": " + nz(fullname) + " [" + nz(idnumber) + "]";
    }

    public static String category(String verb, String name, String idnumber) {
        return "Course category " + verb + ": " + nz(name) + " [" + nz(idnumber) + "]";
    }

    public static String line(CoursePlan.Rejection r) {
        return "Course rejected: " + nz(r.shortname()) + " [" + r.idnumber() + "]: " + r.reason();
    }

    public static String left(CourseLink l) {
        return course("left", l.written().getOrDefault(DesiredCourse.FULLNAME, ""), l.idnumber())
                + " (no longer in NetYpareo, left as it is)";
    }

    /** e.g. "Enrolment student added: [apprenant10007] [CRS_846000]". */
    public static String enrolment(CourseRole role, String verb, String username, String courseIdnumber) {
        return "Enrolment " + role.value() + " " + verb + ": [" + nz(username) + "] [" + nz(courseIdnumber) + "]";
    }

    public static String skipped(EnrolmentPlan.Skipped s) {
        return "Enrolment " + s.role().value() + " skipped: [" + s.key().idnumber() + "] [" + s.courseIdnumber()
                + "]: " + s.reason();
    }

    /** e.g. "Courses: 3 created, 1 updated, 0 hidden, 40 unchanged, 0 left, 0 rejected" (+ ", 1 adopted"). */
    public static String summary(CoursePlan p) {
        String s = "Courses: " + p.creates().size() + " created, " + p.updates().size() + " updated, "
                + p.hides().size() + " hidden, " + p.unchanged() + " unchanged, " + p.left().size() + " left, "
                + p.rejections().size() + " rejected";
        return p.adoptions().isEmpty() ? s : s + ", " + p.adoptions().size() + " adopted";
    }

    /** e.g. "Enrolments: 30 added, 2 suspended, 1 revived, 0 dates changed, 400 unchanged, 3 skipped". */
    public static String summary(EnrolmentPlan p) {
        return "Enrolments: " + p.enrols().size() + " added, " + p.suspensions().size() + " suspended, "
                + p.revivals().size() + " revived, " + p.dateChanges().size() + " dates changed, " + p.unchanged()
                + " unchanged, " + p.skipped().size() + " skipped";
    }

    /** e.g. "Users: 3 created, 1 updated, 0 suspended, 0 revived, 120 unchanged, 1 rejected" (+ ", 2 adopted"). */
    public static String summary(String label, UserPlan p) {
        StringBuilder sb = new StringBuilder(label).append(": ").append(p.creates().size()).append(" created, ")
                .append(p.updates().size()).append(" updated, ").append(p.suspensions().size())
                .append(" suspended, ").append(p.revivals().size()).append(" revived, ").append(p.unchanged())
                .append(" unchanged, ").append(p.rejections().size()).append(" rejected");
        if (!p.adoptions().isEmpty()) {
            sb.append(", ").append(p.adoptions().size()).append(" adopted");
        }
        if (!p.missingAccounts().isEmpty()) {
            sb.append(", ").append(p.missingAccounts().size()).append(" missing in Moodle");
        }
        return sb.toString();
    }

    public static String summary(UserPlan p) {
        return summary("Users", p);
    }

    /** e.g. "Site cohorts: 1 created, 2 updated, 5 unchanged, 0 left, 0 rejected" (+ ", 1 adopted"). */
    public static String summary(String label, CohortPlan p) {
        String s = label + ": " + p.creates().size() + " created, " + p.updates().size() + " updated, "
                + p.unchanged() + " unchanged, " + p.left().size() + " left, " + p.rejections().size() + " rejected";
        return p.adoptions().isEmpty() ? s : s + ", " + p.adoptions().size() + " adopted";
    }

    public static String summary(String label, MembershipPlan p) {
        return label + ": " + p.adds().size() + " added, " + p.removes().size() + " removed, " + p.skipped().size()
                + " skipped";
    }

    public static List<String> lines(UserPlan p) {
        return lines("Users", p);
    }

    public static List<String> lines(String label, UserPlan p) {
        List<String> out = new ArrayList<>();
        p.creates().forEach(c -> out.add(line(c)));
        p.adoptions().forEach(a -> out.add(line(a)));
        p.updates().forEach(u -> out.add(line(u)));
        p.suspensions().forEach(s -> out.add(line(s)));
        p.revivals().forEach(r -> out.add(line(r)));
        p.rejections().forEach(r -> out.add(line(r)));
        p.suspensionGuard().ifPresent(out::add);
        out.add(summary(label, p));
        return out;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
