package org.ypsync.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Plans the courses stage's categories and courses: created when missing, adopted when Moodle has one with the
 * idnumber, updated when what ypsync wants differs from what it wrote. Nothing is ever deleted: the course of a group
 * no longer synced is left, or hidden when asked.
 */
public final class CoursePlanner {
    /** mdl_course.idnumber, shortname and fullname limits (course/lib.php, core_course_create_courses). */
    public static final int MAX_IDNUMBER = 100;
    public static final int MAX_SHORTNAME = 255;
    public static final int MAX_FULLNAME = 254;

    private CoursePlanner() {
    }

    /**
     * @param links    categories ypsync created or adopted, by idnumber
     * @param existing Moodle's categories: idnumber to id
     */
    public static CoursePlan.Categories categories(List<DesiredCategory> desired, Map<String, CourseLink> links,
                                                   Map<String, Long> existing) {
        List<DesiredCategory> creates = new ArrayList<>();
        Map<DesiredCategory, Long> adoptions = new LinkedHashMap<>();
        int unchanged = 0;
        Set<String> seen = new HashSet<>();
        List<DesiredCategory> sorted = new ArrayList<>(desired);
        sorted.sort(Comparator.comparing(DesiredCategory::idnumber));
        for (DesiredCategory c : sorted) {
            if (!seen.add(c.idnumber())) {
                continue;
            }
            Long id = existing.get(c.idnumber());
            CourseLink link = links.get(c.idnumber());
            if (id == null) {
                // never made, or deleted by hand: made (again)
                creates.add(c);
            } else if (link != null && link.moodleId() == id) {
                unchanged++;
            } else {
                adoptions.put(c, id);
            }
        }
        return new CoursePlan.Categories(creates, adoptions, unchanged);
    }

    /**
     * @param links    courses ypsync manages, by idnumber (for drift repair: with the fields Moodle holds)
     * @param existing Moodle's courses by idnumber (only needed for desired courses not linked yet)
     * @param hideGone sync.courses.hide-gone: hide the courses of groups no longer synced
     */
    public static CoursePlan courses(List<DesiredCourse> desired, Map<String, CourseLink> links,
                                     Map<String, MoodleCourse> existing, boolean hideGone) {
        Objects.requireNonNull(desired, "desired");
        List<CoursePlan.Create> creates = new ArrayList<>();
        List<CoursePlan.Adoption> adoptions = new ArrayList<>();
        List<CoursePlan.Update> updates = new ArrayList<>();
        List<CoursePlan.Rejection> rejections = new ArrayList<>();
        int unchanged = 0;
        Map<Long, String> linkedIds = new HashMap<>();
        links.values().forEach(l -> linkedIds.put(l.moodleId(), l.idnumber()));
        Set<String> wanted = new HashSet<>();
        Map<String, String> shortnames = new HashMap<>();
        List<DesiredCourse> sorted = new ArrayList<>(desired);
        sorted.sort(Comparator.comparing(DesiredCourse::idnumber));
        for (DesiredCourse c : sorted) {
            String why = validate(c);
            if (why == null && !wanted.add(c.idnumber())) {
                why = "duplicate course idnumber in NetYpareo data: only the first one is used";
            }
            String sameShortname = why == null ? shortnames.putIfAbsent(c.shortname(), c.idnumber()) : null;
            if (sameShortname != null) {
                why = "short name " + c.shortname() + " is also the short name of [" + sameShortname
                        + "] (sync.courses.shortname must give each group its own)";
            }
            if (why != null) {
                wanted.add(c.idnumber());
                rejections.add(new CoursePlan.Rejection(c.idnumber(), c.shortname(), why));
                continue;
            }
            CourseLink link = links.get(c.idnumber());
            if (link != null) {
                Map<String, String> want = c.written();
                if ("0".equals(link.written().get(DesiredCourse.VISIBLE))) {
                    // hidden by ypsync while its group was gone: shown again
                    want.put(DesiredCourse.VISIBLE, "1");
                }
                Map<String, FieldChange> changes = UserPlanner.diff(link.written(), want);
                if (changes.isEmpty()) {
                    unchanged++;
                } else {
                    updates.add(new CoursePlan.Update(c, link.moodleId(), changes));
                }
                continue;
            }
            MoodleCourse found = existing.get(c.idnumber());
            if (found == null) {
                creates.add(new CoursePlan.Create(c));
            } else if (linkedIds.containsKey(found.id())) {
                rejections.add(new CoursePlan.Rejection(c.idnumber(), c.shortname(), "Moodle course id " + found.id()
                        + " is already linked to [" + linkedIds.get(found.id()) + "]"));
            } else {
                adoptions.add(new CoursePlan.Adoption(c, found.id(), UserPlanner.diff(found.fields(), c.written())));
            }
        }
        List<CourseLink> hides = new ArrayList<>();
        List<CourseLink> left = new ArrayList<>();
        links.values().stream().filter(l -> !wanted.contains(l.idnumber()))
                .sorted(Comparator.comparing(CourseLink::idnumber)).forEach(l -> {
                    if (hideGone && !"0".equals(l.written().get(DesiredCourse.VISIBLE))) {
                        hides.add(l);
                    } else {
                        left.add(l);
                    }
                });
        return new CoursePlan(creates, adoptions, updates, hides, left, rejections, unchanged);
    }

    private static String validate(DesiredCourse c) {
        if (c.idnumber().isEmpty()) {
            return "missing idnumber";
        }
        if (c.idnumber().length() > MAX_IDNUMBER) {
            return "idnumber longer than " + MAX_IDNUMBER + " characters";
        }
        if (c.shortname().isEmpty()) {
            return "empty short name (sync.courses.shortname)";
        }
        if (c.shortname().codePointCount(0, c.shortname().length()) > MAX_SHORTNAME) {
            return "short name longer than " + MAX_SHORTNAME + " characters";
        }
        if (c.fullname().isEmpty()) {
            return "empty full name (sync.courses.fullname)";
        }
        if (c.fullname().codePointCount(0, c.fullname().length()) > MAX_FULLNAME) {
            return "full name longer than " + MAX_FULLNAME + " characters";
        }
        if (c.categoryIdnumber().isEmpty()) {
            return "no course category (the group has no site or no training code)";
        }
        return null;
    }
}
