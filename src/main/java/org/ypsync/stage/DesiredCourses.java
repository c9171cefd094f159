package org.ypsync.stage;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ypsync.store.CacheReader.GroupRow;
import org.ypsync.store.CacheReader.SiteRow;
import org.ypsync.sync.DesiredCategory;
import org.ypsync.sync.DesiredCourse;
import org.ypsync.sync.Naming;

/**
 * Pure mapping of the cache's diploma groups to the courses and course categories Moodle should have: one course
 * per group not gone from NetYpareo, named by the templates, in the category of its site or of its training.
 */
final class DesiredCourses {
    final List<DesiredCourse> courses = new ArrayList<>();
    /** The categories the courses need, by idnumber. */
    final Map<String, DesiredCategory> categories = new LinkedHashMap<>();
    /** Course idnumber to the group it is made for. */
    final Map<String, GroupRow> groups = new HashMap<>();

    static DesiredCourses of(List<GroupRow> groups, List<SiteRow> sites, CourseSettings settings) {
        Map<DesiredState.SiteKey, SiteRow> siteMap = new HashMap<>();
        sites.forEach(s -> siteMap.put(new DesiredState.SiteKey(s.instance(), s.code()), s));
        DesiredCourses out = new DesiredCourses();
        for (GroupRow g : groups) {
            if (g.gone()) {
                continue;
            }
            SiteRow site = g.siteCode() == null ? null : siteMap.get(new DesiredState.SiteKey(g.instance(), g.siteCode()));
            Map<String, String> fields = fields(g, site);
            String category = "";
            if (settings.byDiploma() && g.trainingCode() != null) {
                category = Naming.trainingCategoryIdnumber(g.instance(), String.valueOf(g.trainingCode()));
            } else if (!settings.byDiploma() && site != null) {
                category = DesiredState.siteIdnumber(site).replaceFirst(Naming.SITE, Naming.SITE_CATEGORY);
            }
            if (!category.isEmpty()) {
                String name = settings.categoryName().apply(fields);
                out.categories.putIfAbsent(category, new DesiredCategory(category, name.isEmpty() ? category : name));
            }
            String idnumber = Naming.courseIdnumber(g.instance(), String.valueOf(g.code()));
            String fullname = settings.fullname().apply(fields);
            out.courses.add(new DesiredCourse(idnumber, settings.shortname().apply(fields),
                    fullname.isEmpty() ? idnumber : fullname, category, startOf(g.start(), settings.zone()),
                    startOf(g.end() == null ? null : g.end().plusDays(1), settings.zone())));
            out.groups.put(idnumber, g);
        }
        return out;
    }

    /** The values of the template placeholders (CourseTemplate.FIELDS) for one group. */
    static Map<String, String> fields(GroupRow g, SiteRow site) {
        Map<String, String> m = new HashMap<>();
        m.put("prefix", Naming.prefix(g.instance()));
        m.put("codeGroupe", String.valueOf(g.code()));
        m.put("nomGroupe", g.name());
        m.put("abregeGroupe", g.shortName());
        m.put("codePeriode", g.periodCode() == null ? null : String.valueOf(g.periodCode()));
        m.put("codeFormation", g.trainingCode() == null ? null : String.valueOf(g.trainingCode()));
        if (site != null) {
            m.put("codeSite", String.valueOf(site.code()));
            m.put("nomSite", site.name());
            m.put("abregeSite", site.shortCode());
        }
        return m;
    }

    /** Midnight of the day in the zone, as a Unix time; 0 (Moodle's "none") without a date. */
    static long startOf(LocalDate day, ZoneId zone) {
        return day == null ? 0 : day.atStartOfDay(zone).toEpochSecond();
    }
}
