package org.ypsync.stage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ypsync.store.CacheReader;
import org.ypsync.store.CacheReader.GroupRow;
import org.ypsync.store.CacheReader.SiteRow;
import org.ypsync.store.CacheReader.StaffRow;
import org.ypsync.store.CacheReader.StudentRow;
import org.ypsync.store.CacheReader.TutorRow;
import org.ypsync.sync.CohortFamily;
import org.ypsync.sync.DesiredCohort;
import org.ypsync.sync.DesiredUser;
import org.ypsync.sync.Naming;
import org.ypsync.sync.TutorSites;
import org.ypsync.sync.UserKind;

/**
 * Pure mapping of cache rows to the desired state of Moodle: which site cohorts, which users (active or not), in
 * which site cohorts. The rules an operator reads in the README live here.
 */
public final class DesiredState {
    private DesiredState() {
    }

    /** Site key: instance and codeSite. */
    record SiteKey(int instance, int code) {
    }

    /** One cohort per site in use (not gone from NetYpareo, not plusUtilise): SITE_<abregeSite>, n_SITE_... */
    public static List<DesiredCohort> siteCohorts(List<SiteRow> sites, Map<Integer, String> instanceNames) {
        List<DesiredCohort> out = new ArrayList<>();
        for (SiteRow s : inUse(sites).values()) {
            out.add(new DesiredCohort(siteIdnumber(s), s.name() == null || s.name().isBlank() ? siteShort(s) : s.name(),
                    "NetYpareo site " + s.name() + " (" + instanceNames.getOrDefault(s.instance(), "instance " + s.instance())
                            + ", codeSite " + s.code() + ")", CohortFamily.SITE));
        }
        return out;
    }

    static Map<SiteKey, SiteRow> inUse(List<SiteRow> sites) {
        Map<SiteKey, SiteRow> out = new java.util.LinkedHashMap<>();
        for (SiteRow s : sites) {
            if (!s.gone() && !s.unused()) {
                out.put(new SiteKey(s.instance(), s.code()), s);
            }
        }
        return out;
    }

    private static String siteShort(SiteRow s) {
        return s.shortCode() == null || s.shortCode().isBlank() ? String.valueOf(s.code()) : s.shortCode().strip();
    }

    static String siteIdnumber(SiteRow s) {
        return Naming.siteCohortIdnumber(s.instance(), siteShort(s));
    }

    /**
     * Students: active when the NetYpareo account is activated (isActif), not gone, not past its leaving date and,
     * when a status filter is set, of one of those statuses. Members of their site's cohort.
     */
    public static List<DesiredUser> students(List<StudentRow> rows, List<SiteRow> sites, LocalDate today,
                                             Set<Integer> statuses) {
        Map<SiteKey, SiteRow> siteMap = inUse(sites);
        List<DesiredUser> out = new ArrayList<>();
        for (StudentRow r : rows) {
            boolean active = !r.gone() && r.active() && (r.leavingDate() == null || !r.leavingDate().isBefore(today))
                    && (statuses.isEmpty() || (r.statusCode() != null && statuses.contains(r.statusCode())));
            SiteRow site = r.siteCode() == null ? null : siteMap.get(new SiteKey(r.instance(), r.siteCode()));
            out.add(new DesiredUser(r.instance(), UserKind.STUDENT, String.valueOf(r.code()), r.login(), r.firstName(),
                    r.lastName(), r.email(), active, site == null ? Set.of() : Set.of(siteIdnumber(site))));
        }
        return out;
    }

    /** Trainers: staff with isFormateur, active unless plusUtilise or gone; members of their sites' cohorts. */
    public static List<DesiredUser> trainers(List<StaffRow> rows, List<SiteRow> sites) {
        Map<SiteKey, SiteRow> siteMap = inUse(sites);
        List<DesiredUser> out = new ArrayList<>();
        for (StaffRow r : rows) {
            if (!r.trainer()) {
                continue;
            }
            Set<String> cohorts = new HashSet<>();
            for (Integer code : r.siteCodes()) {
                SiteRow site = siteMap.get(new SiteKey(r.instance(), code));
                if (site != null) {
                    cohorts.add(siteIdnumber(site));
                }
            }
            out.add(new DesiredUser(r.instance(), UserKind.TEACHER, String.valueOf(r.code()), r.login(), r.firstName(),
                    r.lastName(), r.email(), !r.gone() && !r.unused(), cohorts));
        }
        return out;
    }

    /** Tutors: active unless gone; their site cohorts are those of the students they tutor. */
    public static List<DesiredUser> tutors(List<TutorRow> rows, List<CacheReader.TutorStudentRow> links,
                                           List<StudentRow> students, List<SiteRow> sites) {
        Map<SiteKey, SiteRow> siteMap = inUse(sites);
        Map<String, String> studentSite = new HashMap<>();
        for (StudentRow s : students) {
            SiteRow site = s.siteCode() == null || s.gone() ? null : siteMap.get(new SiteKey(s.instance(), s.siteCode()));
            if (site != null) {
                studentSite.put(s.instance() + ":" + s.code(), siteIdnumber(site));
            }
        }
        Map<String, List<String>> tutored = new HashMap<>();
        for (CacheReader.TutorStudentRow l : links) {
            tutored.computeIfAbsent(l.instance() + ":" + l.tutorCode(), k -> new ArrayList<>())
                    .add(l.instance() + ":" + l.studentCode());
        }
        List<DesiredUser> out = new ArrayList<>();
        for (TutorRow r : rows) {
            Set<String> cohorts = TutorSites.siteCohorts(tutored.getOrDefault(r.instance() + ":" + r.code(), List.of()),
                    studentSite);
            out.add(new DesiredUser(r.instance(), UserKind.TUTOR, String.valueOf(r.code()), r.login(), r.firstName(),
                    r.lastName(), r.email(), !r.gone(), cohorts));
        }
        return out;
    }

    /** Group cohorts: GRP_<codeGroupe> / FC_<codeGroupe>, named after nomGroupe, described with site, period, dates. */
    public static List<DesiredCohort> groupCohorts(List<GroupRow> groups, CohortFamily family, List<SiteRow> sites) {
        Map<SiteKey, SiteRow> siteMap = new HashMap<>();
        sites.forEach(s -> siteMap.put(new SiteKey(s.instance(), s.code()), s));
        List<DesiredCohort> out = new ArrayList<>();
        for (GroupRow g : groups) {
            if (g.gone()) {
                continue;
            }
            SiteRow site = g.siteCode() == null ? null : siteMap.get(new SiteKey(g.instance(), g.siteCode()));
            String description = (family == CohortFamily.FC_GROUP ? "NetYpareo FC group " : "NetYpareo diploma group ")
                    + g.code() + (site == null ? "" : ", site " + site.name())
                    + (g.periodCode() == null ? "" : ", period " + g.periodCode())
                    + (g.start() == null ? "" : ", from " + g.start()) + (g.end() == null ? "" : " to " + g.end());
            String idnumber = family == CohortFamily.FC_GROUP
                    ? Naming.fcGroupIdnumber(g.instance(), String.valueOf(g.code()))
                    : Naming.diplomaGroupIdnumber(g.instance(), String.valueOf(g.code()));
            out.add(new DesiredCohort(idnumber, g.name() == null || g.name().isBlank() ? idnumber : g.name(),
                    description, family));
        }
        return out;
    }
}
