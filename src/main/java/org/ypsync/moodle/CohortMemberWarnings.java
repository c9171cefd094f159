package org.ypsync.moodle;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pure attribution of core_cohort_add_cohort_members warnings to the members sent. The warnings carry no item
 * ids, only a code and an English message built from the member's own values (cohort/externallib.php):
 * <ul>
 *   <li>1: {@code invalid parameter: cohortype=<type>} (sic) or {@code invalid parameter: usertype=<type>}</li>
 *   <li>2: {@code cohort <type>=<value> not exists} or {@code user <type>=<value> not exists}</li>
 *   <li>3: {@code record already exists: cohort(<ctype>=<cvalue> <utype>=<uvalue>)}: already a member</li>
 * </ul>
 * Each member yields at most one warning, in member order, so warnings are matched greedily in order against
 * the messages each member could produce. When a warning matches no member, the attribution is incomplete and
 * the caller bisects (the call is idempotent: members already added then answer code 3).
 */
final class CohortMemberWarnings {

    /** The warning of each member index that has one; complete=false when some warning could not be placed. */
    record Attribution(Map<Integer, JsonNode> byIndex, boolean complete) {
    }

    private CohortMemberWarnings() {
    }

    static Attribution attribute(List<Map<String, Object>> members, JsonNode warnings) {
        Map<Integer, JsonNode> byIndex = new HashMap<>();
        if (warnings == null || !warnings.isArray() || warnings.isEmpty()) {
            return new Attribution(byIndex, true);
        }
        int next = 0;
        boolean complete = true;
        for (JsonNode w : warnings) {
            String code = w.path("warningcode").asText("");
            String message = w.path("message").asText("").trim();
            int found = -1;
            for (int i = next; i < members.size(); i++) {
                if (expected(members.get(i), code).contains(message)) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                complete = false;
            } else {
                byIndex.put(found, w);
                next = found + 1;
            }
        }
        return new Attribution(byIndex, complete);
    }

    /** The messages a member could produce with this warning code. */
    static Set<String> expected(Map<String, Object> member, String code) {
        String ct = part(member, "cohorttype", "type");
        String cv = part(member, "cohorttype", "value");
        String ut = part(member, "usertype", "type");
        String uv = part(member, "usertype", "value");
        return switch (code) {
            case "1" -> Set.of("invalid parameter: cohortype=" + ct, "invalid parameter: cohorttype=" + ct,
                    "invalid parameter: usertype=" + ut);
            case "2" -> Set.of("cohort " + ct + "=" + cv + " not exists", "user " + ut + "=" + uv + " not exists");
            case "3" -> Set.of("record already exists: cohort(" + ct + "=" + cv + " " + ut + "=" + uv + ")");
            default -> Set.of();
        };
    }

    private static String part(Map<String, Object> member, String key, String field) {
        Object o = member.get(key);
        if (o instanceof Map<?, ?> m && m.get(field) != null) {
            return FormEncoder.scalar(m.get(field)).trim();
        }
        return "";
    }
}
