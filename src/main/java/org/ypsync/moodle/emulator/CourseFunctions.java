package org.ypsync.moodle.emulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ypsync.moodle.emulator.Desc.Single;
import org.ypsync.moodle.emulator.Records.CategoryRow;
import org.ypsync.moodle.emulator.Records.CourseRow;

import static org.ypsync.moodle.emulator.Desc.multiple;
import static org.ypsync.moodle.emulator.Desc.multipleDefaultEmpty;
import static org.ypsync.moodle.emulator.Desc.multipleOptional;
import static org.ypsync.moodle.emulator.Desc.optional;
import static org.ypsync.moodle.emulator.Desc.single;
import static org.ypsync.moodle.emulator.Desc.value;
import static org.ypsync.moodle.emulator.Desc.withDefault;
import static org.ypsync.moodle.emulator.WsValues.*;
import static org.ypsync.moodle.emulator.MoodleSite.SITE_COURSE_ID;

/**
 * The core_course_* functions ypsync uses or will use: categories, and courses created and read by field (updated
 * and duplicated: {@link CourseEditFunctions}).
 */
final class CourseFunctions extends SiteFunctions {
    CourseFunctions(MoodleSite site) {
        super(site);
    }

    @Override
    void register() {
        site.fn("core_course_create_courses", single().key("courses", multiple(courseDesc(true))).build(),
                this::createCourses, false, true);
        site.fn("core_course_get_courses_by_field", single().key("field", withDefault(Param.ALPHA, ""))
                .key("value", withDefault(Param.RAW, "")).build(), this::getCoursesByField, false, false);
        site.fn("core_course_get_categories", single()
                .key("criteria", multipleDefaultEmpty(keyValueDesc("key", Param.ALPHA)))
                .key("addsubcategories", withDefault(Param.BOOL, true)).build(), this::getCategories, false,
                false);
        site.fn("core_course_create_categories", single().key("categories", multiple(single()
                .key("name", value(Param.TEXT))
                .key("parent", withDefault(Param.INT, 0L))
                .key("idnumber", optional(Param.RAW))
                .key("description", optional(Param.RAW))
                .key("descriptionformat", withDefault(Param.INT, 1L))
                .key("theme", optional(Param.THEME)).build())).build(), this::createCategories, false, true);
    }

    static Single courseDesc(boolean create) {
        Desc.Builder b = single();
        if (create) {
            b.key("fullname", value(Param.TEXT)).key("shortname", value(Param.TEXT))
                    .key("categoryid", value(Param.INT));
        } else {
            b.key("id", value(Param.INT)).key("fullname", optional(Param.TEXT)).key("shortname", optional(Param.TEXT))
                    .key("categoryid", optional(Param.INT));
        }
        b.key("idnumber", optional(Param.RAW))
                .key("summary", optional(Param.RAW))
                .key("summaryformat", create ? withDefault(Param.INT, 1L) : optional(Param.INT))
                .key("format", create ? withDefault(Param.PLUGIN, "topics") : optional(Param.PLUGIN))
                .key("showgrades", create ? withDefault(Param.INT, 1L) : optional(Param.INT))
                .key("newsitems", create ? withDefault(Param.INT, 5L) : optional(Param.INT))
                .key("startdate", optional(Param.INT))
                .key("enddate", optional(Param.INT))
                .key("numsections", optional(Param.INT))
                .key("maxbytes", create ? withDefault(Param.INT, 0L) : optional(Param.INT))
                .key("showreports", create ? withDefault(Param.INT, 0L) : optional(Param.INT))
                .key("visible", optional(Param.INT))
                .key("hiddensections", optional(Param.INT))
                .key("groupmode", create ? withDefault(Param.INT, 0L) : optional(Param.INT))
                .key("groupmodeforce", create ? withDefault(Param.INT, 0L) : optional(Param.INT))
                .key("defaultgroupingid", create ? withDefault(Param.INT, 0L) : optional(Param.INT))
                .key("enablecompletion", optional(Param.INT))
                .key("completionnotify", optional(Param.INT))
                .key("lang", optional(Param.SAFEDIR))
                .key("forcetheme", optional(Param.PLUGIN))
                .key("courseformatoptions", multipleOptional(keyValueDesc("name", Param.ALPHANUMEXT)))
                .key("customfields", multipleOptional(customFieldDesc()));
        return b.build();
    }

    // ------------------------------------------------------------------ categories and courses

    /** fix_course_sortorder: categories numbered in tree order, 10000 apart. */
    Map<Long, Long> categorySortorders() {
        Map<Long, Long> out = new LinkedHashMap<>();
        long[] n = {0};
        walkCategories(0, out, n);
        return out;
    }

    private void walkCategories(long parent, Map<Long, Long> out, long[] n) {
        for (CategoryRow c : db.categories.values()) {
            if (c.parent == parent) {
                out.put(c.id, ++n[0] * 10000);
                walkCategories(c.id, out, n);
            }
        }
    }

    private long courseSortorder(CourseRow course) {
        long base = categorySortorders().getOrDefault(course.category, 0L);
        // New courses go first in their category.
        long rank = db.courses.values().stream()
                .filter(c -> c.category == course.category && c.id > course.id).count();
        return base + rank + 1;
    }

    private Map<String, Object> categoryOut(CategoryRow c, Map<Long, Long> sortorders) {
        long count = db.courses.values().stream().filter(x -> x.category == c.id).count();
        return map("id", c.id, "name", c.name, "idnumber", c.idnumber, "description", c.description,
                "descriptionformat", c.descriptionformat, "parent", c.parent, "sortorder",
                sortorders.getOrDefault(c.id, 0L), "coursecount", count, "visible", c.visible, "visibleold",
                c.visibleold, "timemodified", c.timemodified, "depth", c.depth, "path", c.path, "theme", c.theme);
    }

    private Object createCategories(Map<String, Object> p) {
        return db.tx(() -> {
            List<Object> out = new ArrayList<>();
            for (Map<String, Object> c : list(p, "categories")) {
                long parent = l(c, "parent");
                CategoryRow parentRow = null;
                if (parent != 0) {
                    parentRow = db.categories.get(parent);
                    if (parentRow == null) throw WsException.moodle("unknowcategory", "Unknown category", null);
                }
                String name = s(c, "name");
                if (empty(name)) {
                    throw WsException.moodle("categorynamerequired", "A category name is required.", null);
                }
                if (name.codePointCount(0, name.length()) > 255) {
                    throw WsException.moodle("categorytoolong", "Category name too long", null);
                }
                String idnumber = s(c, "idnumber");
                if (idnumber != null) {
                    if (idnumber.codePointCount(0, idnumber.length()) > 100) {
                        throw WsException.moodle("idnumbertoolong", "ID number is too long", null);
                    }
                    if (!idnumber.isEmpty()
                            && db.categories.values().stream().anyMatch(x -> x.idnumber.equals(idnumber))) {
                        throw WsException.moodle("categoryidnumbertaken",
                                "ID number is already used for another category", null);
                    }
                }
                CategoryRow row = new CategoryRow();
                row.name = name;
                row.idnumber = idnumber == null ? "" : idnumber;
                row.description = c.containsKey("description") ? s(c, "description") : "";
                row.descriptionformat = l(c, "descriptionformat");
                row.parent = parent;
                if (c.containsKey("theme")) row.theme = s(c, "theme");
                row.timemodified = cfg.now();
                row.id = db.categorySeq++;
                row.depth = parentRow == null ? 1 : parentRow.depth + 1;
                row.path = (parentRow == null ? "" : parentRow.path) + "/" + row.id;
                row.contextId = db.newContext(State.CONTEXT_COURSECAT, row.id);
                db.putCategory(row);
                db.count("created");
                out.add(map("id", row.id, "name", row.name));
            }
            return out;
        });
    }

    private Object getCategories(Map<String, Object> p) {
        List<CategoryRow> found = new ArrayList<>();
        List<Map<String, Object>> criteria = list(p, "criteria");
        if (criteria.isEmpty()) {
            found.addAll(db.categories.values());
        } else {
            List<java.util.function.Predicate<CategoryRow>> filters = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Map<String, Object> c : criteria) {
                String key = s(c, "key").strip();
                String value = s(c, "value");
                if (!seen.add(key)) continue;
                switch (key) {
                    case "id" -> {
                        long v = Param.phpInt(value);
                        filters.add(x -> x.id == v);
                    }
                    case "ids" -> {
                        Set<Long> ids = new HashSet<>();
                        for (String part : Param.SEQUENCE.clean(value, cfg).split(",")) {
                            if (!part.isEmpty()) ids.add(Long.parseLong(part));
                        }
                        filters.add(x -> ids.contains(x.id));
                    }
                    case "idnumber" -> filters.add(x -> x.idnumber.equals(value));
                    case "name" -> {
                        String v = Param.stripTags(value);
                        filters.add(x -> x.name.equals(v));
                    }
                    case "parent" -> {
                        long v = Param.phpInt(value);
                        filters.add(x -> x.parent == v);
                    }
                    case "visible" -> {
                        long v = Param.phpInt(value);
                        filters.add(x -> x.visible == v);
                    }
                    case "theme" -> filters.add(x -> x.theme.equals(value));
                    default -> throw new WsException("moodle_exception", "invalidparameter",
                            "Invalid parameter value detected", "You can not search on this criteria: " + key);
                }
            }
            for (CategoryRow c : db.categories.values()) {
                if (filters.stream().allMatch(f -> f.test(c))) found.add(c);
            }
            if (b(p, "addsubcategories")) {
                Set<Long> ids = new LinkedHashSet<>();
                for (CategoryRow c : found) ids.add(c.id);
                for (CategoryRow c : db.categories.values()) {
                    for (CategoryRow f : new ArrayList<>(found)) {
                        if (c.path.startsWith(f.path + "/") && ids.add(c.id)) found.add(c);
                    }
                }
            }
        }
        Map<Long, Long> sortorders = categorySortorders();
        found.sort(Comparator.comparingLong(c -> sortorders.getOrDefault(c.id, 0L)));
        List<Object> out = new ArrayList<>();
        for (CategoryRow c : found) out.add(categoryOut(c, sortorders));
        return out;
    }

    private Object createCourses(Map<String, Object> p) {
        return db.tx(() -> {
            List<Object> out = new ArrayList<>();
            for (Map<String, Object> c : list(p, "courses")) {
                long catId = l(c, "categoryid");
                CategoryRow cat = db.categories.get(catId);
                if (cat == null) {
                    throw WsException.moodle("errorcatcontextnotvalid",
                            "You cannot execute functions in the category context (category id:" + catId
                                    + "). The context error message was: Invalid parameter value detected", null);
                }
                String fullname = s(c, "fullname");
                String shortname = s(c, "shortname");
                if (Param.phpTrim(fullname).isEmpty()) {
                    throw WsException.moodle("errorinvalidparam", "The param \"fullname\" is invalid.", null);
                }
                if (Param.phpTrim(shortname).isEmpty()) {
                    throw WsException.moodle("errorinvalidparam", "The param \"shortname\" is invalid.", null);
                }
                if (c.containsKey("lang") && !cfg.languages.contains(s(c, "lang"))) {
                    throw WsException.moodle("errorinvalidparam", "The param \"lang\" is invalid.", null);
                }
                if (c.containsKey("forcetheme") && !cfg.themes.contains(s(c, "forcetheme"))) {
                    throw WsException.moodle("errorinvalidparam", "The param \"forcetheme\" is invalid.", null);
                }
                checkCourseUnique(shortname, s(c, "idnumber"), 0);
                CourseRow row = new CourseRow();
                row.category = catId;
                row.fullname = fullname;
                row.shortname = shortname;
                applyCourseFields(row, c);
                checkLength("course", "fullname", row.fullname, 1333);
                checkLength("course", "shortname", row.shortname, 255);
                checkLength("course", "idnumber", row.idnumber, 100);
                long now = cfg.now();
                row.timecreated = now;
                row.timemodified = now;
                row.cacherev = now;
                row.formatOptions.put("hiddensections", 1L);
                row.formatOptions.put("coursedisplay", 0L);
                row.formatOptions.put("indentation", "1");
                for (Map<String, Object> o : list(c, "courseformatoptions")) {
                    row.formatOptions.put(s(o, "name"), s(o, "value"));
                }
                // create_course makes sections 0..numsections (only the general section without it).
                for (int i = 1; c.containsKey("numsections") && i <= l(c, "numsections"); i++) {
                    row.sections.add(new MoodleSection(i, "", List.of()));
                }
                row.id = db.courseSeq++;
                row.contextId = db.newContext(State.CONTEXT_COURSE, row.id);
                db.putCourse(row);
                db.count("created");
                out.add(map("id", row.id, "shortname", row.shortname));
            }
            return out;
        });
    }

    /** create_course's checks: a non-empty shortname or idnumber another course has is refused. */
    void checkCourseUnique(String shortname, String idnumber, long selfId) {
        if (!empty(shortname) && db.courses.values().stream()
                .anyMatch(x -> x.id != selfId && x.shortname.equals(shortname))) {
            throw WsException.moodle("shortnametaken",
                    "Short name is already used for another course (" + shortname + ")", null);
        }
        if (!empty(idnumber) && db.courses.values().stream()
                .anyMatch(x -> x.id != selfId && x.idnumber.equals(idnumber))) {
            throw WsException.moodle("courseidnumbertaken",
                    "ID number is already used for another course (" + idnumber + ")", null);
        }
    }

    static void applyCourseFields(CourseRow row, Map<String, Object> c) {
        if (c.containsKey("idnumber")) row.idnumber = s(c, "idnumber");
        if (c.containsKey("summary")) row.summary = s(c, "summary");
        if (c.containsKey("summaryformat")) row.summaryformat = l(c, "summaryformat");
        if (c.containsKey("format")) row.format = s(c, "format");
        if (c.containsKey("showgrades")) row.showgrades = l(c, "showgrades");
        if (c.containsKey("newsitems")) row.newsitems = l(c, "newsitems");
        if (c.containsKey("startdate")) row.startdate = l(c, "startdate");
        if (c.containsKey("enddate")) row.enddate = l(c, "enddate");
        if (c.containsKey("maxbytes")) row.maxbytes = l(c, "maxbytes");
        if (c.containsKey("showreports")) row.showreports = l(c, "showreports");
        if (c.containsKey("visible")) row.visible = l(c, "visible");
        if (c.containsKey("groupmode")) row.groupmode = l(c, "groupmode");
        if (c.containsKey("groupmodeforce")) row.groupmodeforce = l(c, "groupmodeforce");
        if (c.containsKey("defaultgroupingid")) row.defaultgroupingid = l(c, "defaultgroupingid");
        if (c.containsKey("enablecompletion")) row.enablecompletion = l(c, "enablecompletion");
        if (c.containsKey("completionnotify")) row.completionnotify = l(c, "completionnotify");
        if (c.containsKey("lang")) row.lang = s(c, "lang");
        if (c.containsKey("forcetheme")) row.theme = s(c, "forcetheme");
    }

    Map<String, Object> courseOut(CourseRow c) {
        CategoryRow cat = db.categories.get(c.category);
        List<Object> filters = new ArrayList<>();
        for (String f : List.of("displayh5p", "activitynames", "mathjaxloader", "emoticon", "urltolink",
                "mediaplugin")) {
            filters.add(map("filter", f, "localstate", 0L, "inheritedstate", 1L));
        }
        List<Object> formatOptions = new ArrayList<>();
        c.formatOptions.forEach((k, v) -> formatOptions.add(map("name", k, "value", v)));
        List<Object> methods = new ArrayList<>();
        if (c.hasManualInstance && c.manualEnrolEnabled) methods.add("manual");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id);
        m.put("fullname", c.fullname);
        m.put("displayname", c.fullname);
        m.put("shortname", c.shortname);
        m.put("courseimage", site.wwwroot + "/pluginfile.php/" + c.contextId + "/course/generated/course.svg");
        m.put("categoryid", c.category);
        m.put("categoryname", cat == null ? "" : cat.name);
        m.put("sortorder", courseSortorder(c));
        m.put("summary", c.summary);
        m.put("summaryformat", c.summaryformat);
        m.put("summaryfiles", new ArrayList<>());
        m.put("overviewfiles", new ArrayList<>());
        m.put("showactivitydates", false);
        m.put("showcompletionconditions", true);
        m.put("contacts", new ArrayList<>());
        m.put("enrollmentmethods", methods);
        m.put("idnumber", c.idnumber);
        m.put("format", c.format);
        m.put("showgrades", c.showgrades);
        m.put("newsitems", c.newsitems);
        m.put("startdate", c.startdate);
        m.put("enddate", c.enddate);
        m.put("maxbytes", c.maxbytes);
        m.put("showreports", c.showreports);
        m.put("visible", c.visible);
        m.put("groupmode", c.groupmode);
        m.put("groupmodeforce", c.groupmodeforce);
        m.put("defaultgroupingid", c.defaultgroupingid);
        m.put("enablecompletion", c.enablecompletion);
        m.put("completionnotify", c.completionnotify);
        m.put("lang", c.lang);
        m.put("theme", c.theme);
        m.put("marker", 0L);
        m.put("legacyfiles", 0L);
        m.put("calendartype", "");
        m.put("timecreated", c.timecreated);
        m.put("timemodified", c.timemodified);
        m.put("requested", 0L);
        m.put("cacherev", c.cacherev);
        m.put("filters", filters);
        m.put("courseformatoptions", formatOptions);
        return m;
    }

    private Object getCoursesByField(Map<String, Object> p) {
        String field = s(p, "field");
        String value = s(p, "value");
        java.util.function.Predicate<CourseRow> filter = switch (field) {
            case "" -> c -> true;
            case "id" -> {
                long v = Param.phpInt(value);
                yield c -> c.id == v;
            }
            case "category" -> {
                long v = Param.phpInt(value);
                yield c -> c.category == v;
            }
            case "ids" -> {
                Set<Long> ids = new HashSet<>();
                for (String part : Param.SEQUENCE.clean(value, cfg).split(",")) {
                    if (!part.isEmpty()) ids.add(Long.parseLong(part));
                }
                yield c -> ids.contains(c.id);
            }
            case "shortname" -> {
                String v = Param.stripTags(value);
                yield c -> c.shortname.equals(v);
            }
            case "idnumber" -> c -> c.idnumber.equals(value);
            default -> throw WsException.invalidParameter("Invalid field name");
        };
        List<Object> out = new ArrayList<>();
        for (CourseRow c : db.courses.values()) {
            // The front page "course" is left out of these listings (emulator simplification).
            if (c.id != SITE_COURSE_ID && filter.test(c)) out.add(courseOut(c));
        }
        return map("courses", out, "warnings", new ArrayList<>());
    }

}
