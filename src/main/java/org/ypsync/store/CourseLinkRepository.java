package org.ypsync.store;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.ypsync.sync.CourseLink;
import org.ypsync.sync.CourseRole;
import org.ypsync.sync.EnrolmentLink;
import org.ypsync.sync.UserKey;
import org.ypsync.sync.UserKind;

/** The courses stage's links: the categories and courses ypsync manages, and the enrolments it made in them. */
public final class CourseLinkRepository {
    private static final String CATEGORIES = "moodle_course_category_link";
    private static final String COURSES = "moodle_course_link";

    private final DataSource dataSource;

    public CourseLinkRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Map<String, CourseLink> categoryLinks() {
        return links(CATEGORIES);
    }

    public void saveCategoryLink(CourseLink link) {
        save(CATEGORIES, link);
    }

    public Map<String, CourseLink> courseLinks() {
        return links(COURSES);
    }

    public void saveCourseLink(CourseLink link) {
        save(COURSES, link);
    }

    /** Forgets a course and the enrolments ypsync made in it (the course was deleted in Moodle). */
    public void forgetCourse(String idnumber) {
        Jdbc.update(dataSource, "DELETE FROM " + COURSES + " WHERE idnumber = ?", idnumber);
        Jdbc.update(dataSource, "DELETE FROM moodle_enrolment_link WHERE course_idnumber = ?", idnumber);
    }

    private Map<String, CourseLink> links(String table) {
        Map<String, CourseLink> out = new HashMap<>();
        Jdbc.query(dataSource, "SELECT idnumber, moodle_id, written FROM " + table, rs -> out.put(rs.getString(1),
                new CourseLink(rs.getString(1), rs.getLong(2), LinkRepository.parse(rs.getString(3)))));
        return out;
    }

    private void save(String table, CourseLink link) {
        Jdbc.update(dataSource, "DELETE FROM " + table + " WHERE idnumber = ?", link.idnumber());
        Jdbc.update(dataSource, "INSERT INTO " + table + " (idnumber, moodle_id, written, updated_at) VALUES (?, ?, ?, ?)",
                link.idnumber(), link.moodleId(), LinkRepository.json(link.written()), Instant.now());
    }

    // --- enrolments ------------------------------------------------------------------------------------------------

    /** The enrolments ypsync made in the given courses, by course idnumber and person. */
    public Map<String, Map<UserKey, EnrolmentLink>> enrolments(Collection<String> courseIdnumbers) {
        Set<String> wanted = new HashSet<>(courseIdnumbers);
        Map<String, Map<UserKey, EnrolmentLink>> out = new HashMap<>();
        Jdbc.query(dataSource, "SELECT course_idnumber, instance_index, kind, netypareo_id, role, moodle_user_id, "
                + "timestart, timeend, suspended FROM moodle_enrolment_link", rs -> {
            if (wanted.contains(rs.getString(1))) {
                UserKey key = new UserKey(rs.getInt(2), UserKind.valueOf(rs.getString(3)), rs.getString(4));
                out.computeIfAbsent(rs.getString(1), c -> new HashMap<>()).put(key, new EnrolmentLink(rs.getString(1),
                        key, CourseRole.valueOf(rs.getString(5)), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                        rs.getBoolean(9)));
            }
        });
        return out;
    }

    /** Records an enrolment as Moodle took it, in the course of that Moodle id with that role id. */
    public void saveEnrolment(EnrolmentLink e, long moodleCourseId, long roleId) {
        forgetEnrolment(e.courseIdnumber(), e.key());
        Jdbc.update(dataSource, "INSERT INTO moodle_enrolment_link (course_idnumber, instance_index, kind, netypareo_id, "
                + "role, moodle_course_id, moodle_user_id, role_id, timestart, timeend, suspended, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e.courseIdnumber(), e.key().instanceIndex(),
                e.key().kind().name(), e.key().netypareoId(), e.role().name(), moodleCourseId, e.moodleUserId(), roleId,
                e.timestart(), e.timeend(), e.suspended(), Instant.now());
    }

    /** Forgets an enrolment that is no longer in Moodle (unenrolled by hand): the next plan enrols again if due. */
    public void forgetEnrolment(String courseIdnumber, UserKey key) {
        Jdbc.update(dataSource, "DELETE FROM moodle_enrolment_link WHERE course_idnumber = ? AND instance_index = ? "
                + "AND kind = ? AND netypareo_id = ?", courseIdnumber, key.instanceIndex(), key.kind().name(),
                key.netypareoId());
    }
}
