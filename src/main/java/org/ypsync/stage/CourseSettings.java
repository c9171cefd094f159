package org.ypsync.stage;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ypsync.ops.Settings;
import org.ypsync.sync.CourseRole;
import org.ypsync.sync.CourseTemplate;

/** The sync.courses.* keys (application.properties, "Courses"), read once per run. */
record CourseSettings(boolean enabled, CourseTemplate shortname, CourseTemplate fullname, boolean byDiploma,
                      CourseTemplate categoryName, String templateShortname, long studentRoleId, long teacherRoleId,
                      boolean groupDates, boolean hideGone, ZoneId zone) {

    static CourseSettings of(Settings s) {
        boolean byDiploma = switch (s.optional("sync.courses.category-by").orElse("site")) {
            case "site" -> false;
            case "diploma" -> true;
            default -> throw new IllegalStateException("sync.courses.category-by must be site or diploma");
        };
        Map<String, Long> roles = roleIds(s.optional("sync.courses.role-ids")
                .orElse("manager:1,coursecreator:2,editingteacher:3,teacher:4,student:5"));
        String dates = s.optional("sync.courses.enrol-dates").orElse("none");
        if (!dates.equals("none") && !dates.equals("group")) {
            throw new IllegalStateException("sync.courses.enrol-dates must be none or group");
        }
        return new CourseSettings(s.optional("sync.courses.enabled").map(Boolean::parseBoolean).orElse(false),
                new CourseTemplate("sync.courses.shortname", s.optional("sync.courses.shortname")
                        .orElse("{prefix}{abregeGroupe}-{codeGroupe}")),
                new CourseTemplate("sync.courses.fullname", s.optional("sync.courses.fullname").orElse("{nomGroupe}")),
                byDiploma,
                new CourseTemplate("sync.courses.category-name", s.optional("sync.courses.category-name")
                        .orElse(byDiploma ? "Formation {codeFormation}" : "{nomSite}")),
                s.optional("sync.courses.template-shortname").orElse(null),
                role(roles, "sync.courses.student-role", s.optional("sync.courses.student-role").orElse("student")),
                role(roles, "sync.courses.teacher-role",
                        s.optional("sync.courses.teacher-role").orElse("editingteacher")),
                dates.equals("group"),
                s.optional("sync.courses.hide-gone").map(Boolean::parseBoolean).orElse(false),
                ZoneId.of(s.optional("sync.courses.timezone").orElse("Europe/Paris")));
    }

    long roleId(CourseRole role) {
        return role == CourseRole.STUDENT ? studentRoleId : teacherRoleId;
    }

    /** "shortname:id,..." (sync.courses.role-ids): Moodle has no web service that lists its roles. */
    static Map<String, Long> roleIds(String list) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String pair : list.split(",")) {
            String[] kv = pair.strip().split(":");
            if (kv.length != 2) {
                throw new IllegalStateException("sync.courses.role-ids: '" + pair + "' is not shortname:id");
            }
            out.put(kv[0].strip(), Long.parseLong(kv[1].strip()));
        }
        return out;
    }

    private static long role(Map<String, Long> roles, String key, String shortname) {
        Long id = roles.get(shortname);
        if (id == null) {
            throw new IllegalStateException(key + "=" + shortname + " is not in sync.courses.role-ids " + roles.keySet());
        }
        return id;
    }
}
