package org.ypsync.moodle.emulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.ypsync.moodle.emulator.Desc.Single;
import org.ypsync.moodle.emulator.Records.CategoryRow;
import org.ypsync.moodle.emulator.Records.CohortRow;
import org.ypsync.moodle.emulator.Records.CourseRow;
import org.ypsync.moodle.emulator.Records.UserRow;

import static org.ypsync.moodle.emulator.Desc.multiple;
import static org.ypsync.moodle.emulator.Desc.multipleDefaultEmpty;
import static org.ypsync.moodle.emulator.Desc.multipleOptional;
import static org.ypsync.moodle.emulator.Desc.optional;
import static org.ypsync.moodle.emulator.Desc.single;
import static org.ypsync.moodle.emulator.Desc.value;
import static org.ypsync.moodle.emulator.Desc.withDefault;
import static org.ypsync.moodle.emulator.WsValues.*;

/**
 * The core_cohort_* functions: cohorts in the system or a category context, and their members.
 */
final class CohortFunctions extends SiteFunctions {
    CohortFunctions(MoodleSite site) {
        super(site);
    }

    @Override
    void register() {
        site.fn("core_cohort_create_cohorts", single().key("cohorts", multiple(cohortDesc(true))).build(),
                this::createCohorts, false, true);
        site.fn("core_cohort_update_cohorts", single().key("cohorts", multiple(cohortDesc(false))).build(),
                this::updateCohorts, true, true);
        site.fn("core_cohort_search_cohorts", single()
                .key("query", value(Param.RAW))
                .key("context", single().key("contextid", withDefault(Param.INT, 0L))
                        .key("contextlevel", withDefault(Param.ALPHA, ""))
                        .key("instanceid", withDefault(Param.INT, 0L)).build())
                .key("includes", withDefault(Param.ALPHA, "parents"))
                .key("limitfrom", withDefault(Param.INT, 0L))
                .key("limitnum", withDefault(Param.INT, 25L)).build(), this::searchCohorts, false, false);
        site.fn("core_cohort_get_cohorts", single().key("cohortids", multipleDefaultEmpty(value(Param.INT))).build(),
                this::getCohorts, false, false);
        site.fn("core_cohort_add_cohort_members", single().key("members", multiple(single()
                .key("cohorttype", keyValueDesc("type", Param.ALPHANUMEXT))
                .key("usertype", keyValueDesc("type", Param.ALPHANUMEXT))
                .build())).build(), this::addCohortMembers, false, true);
        site.fn("core_cohort_delete_cohort_members", single().key("members", multiple(single()
                .key("cohortid", value(Param.INT)).key("userid", value(Param.INT)).build())).build(),
                this::deleteCohortMembers, true, true);
        site.fn("core_cohort_get_cohort_members", single().key("cohortids", multiple(value(Param.INT))).build(),
                this::getCohortMembers, false, false);
        site.fn("core_cohort_delete_cohorts", single().key("cohortids", multiple(value(Param.INT))).build(),
                this::deleteCohorts, true, true);
    }

    /** The cohort structure of create_cohorts ({@code create}) or update_cohorts (by id, no default format). */
    private static Single cohortDesc(boolean create) {
        Desc.Builder b = single();
        if (!create) {
            b.key("id", value(Param.INT));
        }
        return b.key("categorytype", keyValueDesc("type", Param.TEXT))
                .key("name", value(Param.RAW))
                .key("idnumber", value(Param.RAW))
                .key("description", optional(Param.RAW))
                .key("descriptionformat", create ? withDefault(Param.INT, 1L) : optional(Param.INT))
                .key("visible", optional(Param.BOOL))
                .key("theme", optional(Param.THEME))
                .key("customfields", multipleOptional(customFieldDesc()))
                .build();
    }

    // ------------------------------------------------------------------ cohorts

    private long resolveCohortContext(Map<String, Object> categorytype, boolean create) {
        String type = s(categorytype, "type");
        String value = s(categorytype, "value");
        if (!type.equals("idnumber") && !type.equals("id") && !type.equals("system")) {
            throw WsException.invalidParameter("category type must be id, idnumber or system:" + type);
        }
        if (type.equals("system")) {
            return 1;
        }
        CategoryRow found = null;
        for (CategoryRow c : db.categories.values()) {
            boolean match = type.equals("id") ? String.valueOf(c.id).equals(Param.phpTrim(value))
                    : c.idnumber.equals(value);
            if (match) {
                found = c;
                break;
            }
        }
        if (found == null) {
            throw WsException.invalidParameter("category not exists: category " + type + " = " + value);
        }
        return found.contextId;
    }

    Map<String, Object> cohortOut(CohortRow c, boolean withCustomFields) {
        Map<String, Object> m = map("id", c.id, "name", c.name, "idnumber", c.idnumber, "description",
                c.description, "descriptionformat", c.descriptionformat, "visible", c.visible, "theme", c.theme);
        if (withCustomFields) {
            List<Object> cf = new ArrayList<>();
            for (Map.Entry<String, String> f : cfg.cohortFields.entrySet()) {
                String v = c.customfields.getOrDefault(f.getKey(), "");
                cf.add(map("name", f.getValue(), "shortname", f.getKey(), "type", "text", "valueraw", v, "value", v));
            }
            m.put("customfields", cf);
        }
        return m;
    }

    /** Cohort custom fields (4.2+): only fields that exist are saved, others are ignored. */
    private void applyCohortFields(CohortRow row, List<Map<String, Object>> fields) {
        for (Map<String, Object> f : fields) {
            if (cfg.cohortFields.containsKey(s(f, "shortname"))) {
                row.customfields.put(s(f, "shortname"), s(f, "value"));
            }
        }
    }

    /** Cohorts in heap order, as an unordered PostgreSQL read returns them. */
    List<CohortRow> cohortsInHeapOrder() {
        List<CohortRow> all = new ArrayList<>(db.cohorts.values());
        all.sort(Comparator.comparingLong(c -> c.heap));
        return all;
    }

    private Object createCohorts(Map<String, Object> p) {
        return db.tx(() -> {
            List<Object> out = new ArrayList<>();
            for (Map<String, Object> c : list(p, "cohorts")) {
                @SuppressWarnings("unchecked")
                long contextId = resolveCohortContext((Map<String, Object>) c.get("categorytype"), true);
                String idnumber = s(c, "idnumber");
                for (CohortRow other : db.cohorts.values()) {
                    if (other.idnumber.equals(idnumber)) {
                        throw WsException.invalidParameter("record already exists: idnumber=" + idnumber);
                    }
                }
                CohortRow row = new CohortRow();
                row.contextId = contextId;
                row.name = s(c, "name");
                row.idnumber = idnumber;
                if (c.containsKey("description")) row.description = s(c, "description");
                row.descriptionformat = l(c, "descriptionformat");
                if (c.containsKey("visible")) row.visible = b(c, "visible");
                if (c.containsKey("theme")) row.theme = s(c, "theme");
                applyCohortFields(row, list(c, "customfields"));
                checkLength("cohort", "name", row.name, 254);
                checkLength("cohort", "idnumber", row.idnumber, 100);
                long now = cfg.now();
                row.timecreated = now;
                row.timemodified = now;
                row.id = db.cohortSeq++;
                row.heap = db.heapSeq++;
                db.putCohort(row);
                db.count("created");
                out.add(cohortOut(row, false));
            }
            return out;
        });
    }

    private Object updateCohorts(Map<String, Object> p) {
        db.tx(() -> {
            for (Map<String, Object> c : list(p, "cohorts")) {
                if (Param.phpTrim(s(c, "name")).isEmpty()) {
                    throw WsException.invalidParameter("Invalid cohort name");
                }
                CohortRow old = db.cohorts.get(l(c, "id"));
                if (old == null) {
                    throw WsException.missingRecord("cohort");
                }
                @SuppressWarnings("unchecked")
                long contextId = resolveCohortContext((Map<String, Object>) c.get("categorytype"), false);
                CohortRow row = old.copy();
                row.contextId = contextId;
                row.name = s(c, "name");
                row.idnumber = s(c, "idnumber");
                if (c.containsKey("description")) row.description = s(c, "description");
                if (c.containsKey("descriptionformat")) row.descriptionformat = l(c, "descriptionformat");
                if (c.containsKey("visible")) row.visible = b(c, "visible");
                if (c.containsKey("theme")) row.theme = s(c, "theme");
                applyCohortFields(row, list(c, "customfields"));
                checkLength("cohort", "name", row.name, 254);
                checkLength("cohort", "idnumber", row.idnumber, 100);
                row.timemodified = cfg.now();
                row.heap = db.heapSeq++;
                db.putCohort(row);
                db.count("updated");
            }
        });
        return null;
    }

    private Object getCohorts(Map<String, Object> p) {
        Set<Long> ids = new HashSet<>();
        for (Object o : (List<?>) p.get("cohortids")) {
            ids.add(((Number) o).longValue());
        }
        List<Object> out = new ArrayList<>();
        for (CohortRow c : cohortsInHeapOrder()) {
            if (ids.isEmpty() || ids.contains(c.id)) {
                out.add(cohortOut(c, true));
            }
        }
        return out;
    }

    private State.Ctx contextFromParams(Map<String, Object> ctx) {
        long contextid = l(ctx, "contextid");
        String level = s(ctx, "contextlevel");
        long instanceid = l(ctx, "instanceid");
        if (contextid > 0) {
            State.Ctx c = db.contexts.get(contextid);
            if (c == null) throw WsException.missingRecord("context");
            return c;
        }
        if (!level.isEmpty()) {
            int lv = switch (level) {
                case "system" -> State.CONTEXT_SYSTEM;
                case "user" -> State.CONTEXT_USER;
                case "coursecat" -> State.CONTEXT_COURSECAT;
                case "course" -> State.CONTEXT_COURSE;
                default -> throw WsException.invalidParameter("Invalid context level = " + level);
            };
            if (lv == State.CONTEXT_SYSTEM) return db.contexts.get(1L);
            State.Ctx c = db.contextOf(lv, instanceid);
            if (c == null) {
                throw WsException.missingRecord(switch (lv) {
                    case State.CONTEXT_USER -> "user";
                    case State.CONTEXT_COURSECAT -> "course_categories";
                    default -> "course";
                });
            }
            return c;
        }
        throw WsException.invalidParameter(
                "Missing parameters, please provide either context level with instance id or contextid");
    }

    private List<CohortRow> searchIn(Set<Long> contextIds, String query) {
        String q = query.toLowerCase(Locale.ROOT);
        List<CohortRow> out = new ArrayList<>();
        for (CohortRow c : db.cohorts.values()) {
            if (contextIds != null && !contextIds.contains(c.contextId)) continue;
            if (q.isEmpty() || c.name.toLowerCase(Locale.ROOT).contains(q)
                    || c.idnumber.toLowerCase(Locale.ROOT).contains(q)
                    || c.description.toLowerCase(Locale.ROOT).contains(q)) {
                out.add(c);
            }
        }
        out.sort((a, b2) -> {
            int r = collate(a.name, b2.name);
            return r != 0 ? r : Long.compare(a.id, b2.id);
        });
        return out;
    }

    private Object searchCohorts(Map<String, Object> p) {
        @SuppressWarnings("unchecked")
        State.Ctx ctx = contextFromParams((Map<String, Object>) p.get("context"));
        String query = s(p, "query");
        String includes = s(p, "includes");
        long limitfrom = l(p, "limitfrom");
        long limitnum = l(p, "limitnum");
        // The library takes limitfrom as a PAGE number: offset = limitfrom * limitnum.
        long offset = limitfrom * limitnum;
        List<CohortRow> results = switch (includes) {
            case "self" -> page(searchIn(Set.of(ctx.id()), query), offset, limitnum);
            case "parents" -> {
                List<CohortRow> r = new ArrayList<>(page(searchIn(Set.of(ctx.id()), query), offset, limitnum));
                if (ctx.level() != State.CONTEXT_SYSTEM) {
                    r.addAll(page(searchIn(parentContexts(ctx), query), limitfrom, limitnum));
                }
                yield r;
            }
            case "all" -> page(searchIn(null, query), offset, limitnum);
            default -> throw WsException.coding("Invalid parameter value for 'includes'.");
        };
        List<Object> out = new ArrayList<>();
        for (CohortRow c : results) {
            out.add(cohortOut(c, true));
        }
        return map("cohorts", out);
    }

    private Set<Long> parentContexts(State.Ctx ctx) {
        Set<Long> ids = new LinkedHashSet<>();
        ids.add(1L);
        if (ctx.level() == State.CONTEXT_COURSECAT) {
            CategoryRow cat = db.categories.get(ctx.instanceId());
            if (cat != null) {
                for (String part : cat.path.split("/")) {
                    if (part.isEmpty()) continue;
                    CategoryRow anc = db.categories.get(Long.parseLong(part));
                    if (anc != null && anc.id != cat.id) ids.add(anc.contextId);
                }
            }
        } else if (ctx.level() == State.CONTEXT_COURSE) {
            CourseRow course = db.courses.get(ctx.instanceId());
            CategoryRow cat = course == null ? null : db.categories.get(course.category);
            if (cat != null) {
                for (String part : cat.path.split("/")) {
                    if (part.isEmpty()) continue;
                    CategoryRow anc = db.categories.get(Long.parseLong(part));
                    if (anc != null) ids.add(anc.contextId);
                }
            }
        }
        return ids;
    }

    /** A DB lookup by id with a non-integer value fails in PostgreSQL (invalid input syntax). */
    private static Long dbInt(String v) {
        String t = v.strip();
        if (!t.matches("[+-]?[0-9]{1,18}")) return null;
        return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
    }

    private Object addCohortMembers(Map<String, Object> p) {
        return db.tx(() -> {
            List<Object> warnings = new ArrayList<>();
            for (Map<String, Object> m : list(p, "members")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> ct = (Map<String, Object>) m.get("cohorttype");
                @SuppressWarnings("unchecked")
                Map<String, Object> ut = (Map<String, Object>) m.get("usertype");
                String ctype = s(ct, "type");
                String cvalue = s(ct, "value");
                String utype = s(ut, "type");
                String uvalue = s(ut, "value");
                if (!ctype.equals("id") && !ctype.equals("idnumber")) {
                    warnings.add(map("warningcode", "1", "message", "invalid parameter: cohortype=" + ctype));
                    continue;
                }
                if (!utype.equals("id") && !utype.equals("username")) {
                    warnings.add(map("warningcode", "1", "message", "invalid parameter: usertype=" + utype));
                    continue;
                }
                CohortRow cohort = null;
                if (ctype.equals("id")) {
                    Long id = dbInt(cvalue);
                    if (id == null) throw new WsException("moodle_exception", "Error", "cohort/Error", null);
                    cohort = db.cohorts.get(id);
                } else {
                    for (CohortRow c : cohortsInHeapOrder()) {
                        if (c.idnumber.equals(cvalue)) {
                            cohort = c;
                            break;
                        }
                    }
                }
                if (cohort == null) {
                    warnings.add(map("warningcode", "2", "message",
                            "cohort " + ctype + "=" + cvalue + " not exists"));
                    continue;
                }
                UserRow user;
                if (utype.equals("id")) {
                    Long id = dbInt(uvalue);
                    if (id == null) throw new WsException("moodle_exception", "Error", "cohort/Error", null);
                    user = db.users.get(id);
                } else {
                    user = db.userByUsername(uvalue);
                }
                if (user == null || user.deleted) {
                    warnings.add(map("warningcode", "2", "message", "user " + utype + "=" + uvalue + " not exists"));
                    continue;
                }
                if (db.isMember(cohort.id, user.id)) {
                    warnings.add(map("warningcode", "3", "message", "record already exists: cohort(" + ctype + "="
                            + cvalue + " " + utype + "=" + uvalue + ")"));
                    continue;
                }
                db.addMember(cohort.id, user.id, cfg.now());
                db.count("added");
            }
            return map("warnings", warnings);
        });
    }

    private Object deleteCohortMembers(Map<String, Object> p) {
        db.tx(() -> {
            for (Map<String, Object> m : list(p, "members")) {
                CohortRow c = db.cohorts.get(l(m, "cohortid"));
                if (c == null) throw WsException.missingRecord("cohort");
                UserRow u = db.users.get(l(m, "userid"));
                if (u == null || u.deleted) throw WsException.missingRecord("user");
                if (db.removeMember(c.id, u.id)) {
                    db.count("removed");
                }
            }
        });
        return null;
    }

    List<Long> memberIdsSorted(long cohortId) {
        Map<Long, Long> m = db.members.getOrDefault(cohortId, new LinkedHashMap<>());
        List<UserRow> us = new ArrayList<>();
        for (Long id : m.keySet()) {
            UserRow u = db.users.get(id);
            if (u != null) us.add(u);
        }
        // ORDER BY lastname ASC, firstname ASC
        us.sort((a, b2) -> {
            int r = collate(a.lastname, b2.lastname);
            if (r == 0) r = collate(a.firstname, b2.firstname);
            return r != 0 ? r : Long.compare(a.id, b2.id);
        });
        return us.stream().map(u -> u.id).toList();
    }

    private Object getCohortMembers(Map<String, Object> p) {
        List<Object> out = new ArrayList<>();
        for (Object o : (List<?>) p.get("cohortids")) {
            long id = ((Number) o).longValue();
            if (!db.cohorts.containsKey(id)) throw WsException.missingRecord("cohort");
            out.add(map("cohortid", id, "userids", new ArrayList<Object>(memberIdsSorted(id))));
        }
        return out;
    }

    private Object deleteCohorts(Map<String, Object> p) {
        db.tx(() -> {
            for (Object o : (List<?>) p.get("cohortids")) {
                long id = ((Number) o).longValue();
                if (!db.cohorts.containsKey(id)) throw WsException.missingRecord("cohort");
                db.removeCohort(id);
                db.count("deleted");
            }
        });
        return null;
    }

}
