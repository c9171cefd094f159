package org.ypsync.moodle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ypsync.moodle.MoodleBatchRunner.Slots;

import static org.ypsync.moodle.MoodleBatchRunner.str;
import static org.ypsync.moodle.MoodleClient.CREATE_CATEGORIES;
import static org.ypsync.moodle.MoodleClient.CREATE_COHORTS;
import static org.ypsync.moodle.MoodleClient.CREATE_COURSES;
import static org.ypsync.moodle.MoodleClient.DUPLICATE_COURSE;
import static org.ypsync.moodle.MoodleClient.GET_CATEGORIES;
import static org.ypsync.moodle.MoodleClient.GET_COURSES_BY_FIELD;
import static org.ypsync.moodle.MoodleClient.CREATE_USERS;
import static org.ypsync.moodle.MoodleClient.GET_COHORTS;

/**
 * What an answer means, per function: which records of a batch it settles (the created users by username, the
 * per-user warnings of an update, the member warnings of an add), and, for the creates, how to find after a lost
 * answer which records Moodle already holds.
 */
final class MoodleSettlements {
    /** The client's log category, as before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(MoodleClient.class);

    /** Users by a field, counted in the operation's calls. */
    @FunctionalInterface
    interface UserLookup {
        List<JsonNode> byField(String field, List<String> values, MoodleCall.Calls calls);
    }

    private final MoodleCall moodle;
    private final MoodleSettings settings;
    private final UserLookup users;

    MoodleSettlements(MoodleCall moodle, MoodleSettings settings, UserLookup users) {
        this.moodle = moodle;
        this.settings = settings;
        this.users = users;
    }

    boolean settleCreatedUsers(List<Integer> sent, JsonNode answer, Slots slots) {
        int missing = settleCreated(CREATE_USERS, "users", "username", sent, answer, slots,
                "Moodle's answer does not list this user (request truncated?)");
        if (missing > 0) {
            LOG.error("Moodle {}: {} of {} users missing from the answer; is max_input_vars below {}?",
                    CREATE_USERS, missing, sent.size(), settings.maxInputVars());
        }
        return true;
    }

    /**
     * Settles each record sent by the created one of the answer (a list of {@code kind}) with the same {@code key};
     * one the answer does not list fails ({@code notListed}). How many were not listed.
     */
    private int settleCreated(String function, String kind, String key, List<Integer> sent, JsonNode answer,
                              Slots slots, String notListed) {
        if (!answer.isArray()) {
            throw moodle.unexpected(function, "expected a list of created " + kind);
        }
        Map<String, JsonNode> byKey = new HashMap<>();
        for (JsonNode n : answer) {
            byKey.put(n.path(key).asText(), n);
        }
        int missing = 0;
        for (int i : sent) {
            JsonNode n = byKey.get(str(slots.record(i), key));
            if (n != null) {
                slots.success(i, n);
            } else {
                missing++;
                slots.failure(i, "notreturned", notListed, BatchResult.Origin.MOODLE);
            }
        }
        return missing;
    }

    /** Users of the batch that exist by username (and, when both sides have one, the same idnumber). */
    Map<Integer, JsonNode> recoverUsers(List<Integer> sent, Slots slots) {
        List<String> names = sent.stream().map(i -> str(slots.record(i), "username")).toList();
        Map<String, JsonNode> found = new HashMap<>();
        for (JsonNode u : users.byField("username", names, slots.calls)) {
            found.put(u.path("username").asText(), u);
        }
        Map<Integer, JsonNode> out = new HashMap<>();
        for (int i : sent) {
            Map<String, Object> r = slots.record(i);
            JsonNode u = found.get(str(r, "username"));
            if (u == null) {
                continue;
            }
            String idn = str(r, "idnumber");
            String theirs = u.path("idnumber").asText("");
            if (!idn.isEmpty() && !theirs.isEmpty() && !idn.equals(theirs)) {
                continue; // someone else's account: let the retry fail on it
            }
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.set("id", u.path("id"));
            result.put("username", u.path("username").asText());
            out.put(i, result);
        }
        return out;
    }

    boolean settleUpdatedUsers(List<Integer> sent, JsonNode answer, Slots slots) {
        JsonNode warnings = answer.path("warnings");
        Map<String, JsonNode> byId = new HashMap<>();
        boolean unattributed = false;
        for (JsonNode w : warnings) {
            if (w.hasNonNull("itemid")) {
                byId.put(w.get("itemid").asText(), w);
            } else {
                unattributed = true;
            }
        }
        Set<String> sentIds = new HashSet<>();
        sent.forEach(i -> sentIds.add(str(slots.record(i), "id")));
        if (!byId.keySet().stream().allMatch(sentIds::contains)) {
            unattributed = true;
        }
        if (unattributed && sent.size() > 1) {
            return false;
        }
        for (int i : sent) {
            String id = str(slots.record(i), "id");
            JsonNode w = byId.get(id);
            if (w == null && unattributed) {
                w = warnings.get(0);
            }
            if (w != null) {
                slots.failure(i, w.path("warningcode").asText("warning"), w.path("message").asText(""),
                        BatchResult.Origin.MOODLE);
            } else {
                ObjectNode result = JsonNodeFactory.instance.objectNode();
                result.put("id", Long.parseLong(id));
                slots.success(i, result);
            }
        }
        return true;
    }

    /** {type: system} needs a value key too (Moodle's structure requires it): send "". */
    static Map<String, Object> systemValue(Map<String, Object> c) {
        if (c != null && c.get("categorytype") instanceof Map<?, ?> ct && "system".equals(ct.get("type"))
                && ct.get("value") == null) {
            Map<String, Object> copy = new LinkedHashMap<>(c);
            copy.put("categorytype", Map.of("type", "system", "value", ""));
            return copy;
        }
        return c;
    }

    boolean settleCreatedCohorts(List<Integer> sent, JsonNode answer, Slots slots) {
        settleCreated(CREATE_COHORTS, "cohorts", "idnumber", sent, answer, slots,
                "Moodle's answer does not list this cohort");
        return true;
    }

    /** Cohorts of the batch that exist with their idnumber and the name sent. */
    Map<Integer, JsonNode> recoverCohorts(List<Integer> sent, Slots slots) {
        return foundByIdnumber(moodle.call(GET_COHORTS, Map.of(), slots.calls), sent, slots,
                (r, c) -> c.path("name").asText().equals(str(r, "name")));
    }

    /** The records of the batch that {@code all} holds by idnumber, when {@code same} also holds. */
    private static Map<Integer, JsonNode> foundByIdnumber(JsonNode all, List<Integer> sent, Slots slots,
                                                          java.util.function.BiPredicate<Map<String, Object>, JsonNode> same) {
        Map<String, JsonNode> byIdnumber = new HashMap<>();
        all.forEach(c -> byIdnumber.put(c.path("idnumber").asText(), c));
        Map<Integer, JsonNode> out = new HashMap<>();
        for (int i : sent) {
            Map<String, Object> r = slots.record(i);
            JsonNode c = byIdnumber.get(str(r, "idnumber"));
            if (c != null && same.test(r, c)) {
                out.put(i, c);
            }
        }
        return out;
    }

    /** core_course_create_categories answers [{id, name}] in the order sent (no idnumber to match by). */
    boolean settleCreatedCategories(List<Integer> sent, JsonNode answer, Slots slots) {
        if (!answer.isArray()) {
            throw moodle.unexpected(CREATE_CATEGORIES, "expected a list of created categories");
        }
        if (answer.size() != sent.size()) {
            return false;
        }
        for (int k = 0; k < sent.size(); k++) {
            slots.success(sent.get(k), answer.get(k));
        }
        return true;
    }

    /** Categories of the batch that exist with their idnumber. */
    Map<Integer, JsonNode> recoverCategories(List<Integer> sent, Slots slots) {
        return foundByIdnumber(moodle.call(GET_CATEGORIES, Map.of(), slots.calls), sent, slots, (r, c) -> true);
    }

    boolean settleCreatedCourses(List<Integer> sent, JsonNode answer, Slots slots) {
        settleCreated(CREATE_COURSES, "courses", "shortname", sent, answer, slots,
                "Moodle's answer does not list this course");
        return true;
    }

    /** Courses of the batch that exist by idnumber with the short name sent. */
    Map<Integer, JsonNode> recoverCourses(List<Integer> sent, Slots slots) {
        return recoverCoursesBy("idnumber", sent, slots);
    }

    boolean settleDuplicatedCourse(List<Integer> sent, JsonNode answer, Slots slots) {
        if (!answer.hasNonNull("id")) {
            throw moodle.unexpected(DUPLICATE_COURSE, "expected {id, shortname}");
        }
        slots.success(sent.get(0), answer);
        return true;
    }

    /** A copy that exists by its short name (a copy has no idnumber yet). */
    Map<Integer, JsonNode> recoverCopies(List<Integer> sent, Slots slots) {
        return recoverCoursesBy("shortname", sent, slots);
    }

    private Map<Integer, JsonNode> recoverCoursesBy(String field, List<Integer> sent, Slots slots) {
        Map<Integer, JsonNode> out = new HashMap<>();
        for (int i : sent) {
            Map<String, Object> r = slots.record(i);
            JsonNode found = moodle.call(GET_COURSES_BY_FIELD, Map.of("field", field, "value", str(r, field)),
                    slots.calls).path("courses");
            for (JsonNode c : found) {
                if (c.path("shortname").asText().equals(str(r, "shortname"))) {
                    ObjectNode result = JsonNodeFactory.instance.objectNode();
                    result.set("id", c.path("id"));
                    result.put("shortname", c.path("shortname").asText());
                    out.put(i, result);
                }
            }
        }
        return out;
    }

    static boolean settleAll(List<Integer> sent, JsonNode answer, Slots slots) {
        for (int i : sent) {
            slots.success(i, null);
        }
        return true;
    }

    boolean settleAddedMembers(List<Integer> sent, JsonNode answer, Slots slots) {
        JsonNode warnings = answer.path("warnings");
        List<Map<String, Object>> sentMembers = sent.stream().map(slots::record).toList();
        CohortMemberWarnings.Attribution a = CohortMemberWarnings.attribute(sentMembers, warnings);
        if (!a.complete()) {
            if (sent.size() > 1) {
                return false;
            }
            // one member, message not understood: the warning is its own
            a = new CohortMemberWarnings.Attribution(Map.of(0, warnings.get(0)), true);
        }
        for (int k = 0; k < sent.size(); k++) {
            JsonNode w = a.byIndex().get(k);
            int i = sent.get(k);
            if (w == null) {
                slots.success(i, null);
            } else if ("3".equals(w.path("warningcode").asText())) {
                slots.success(i, w);
            } else {
                slots.failure(i, w.path("warningcode").asText("warning"), w.path("message").asText(""),
                        BatchResult.Origin.MOODLE);
            }
        }
        return true;
    }
}
