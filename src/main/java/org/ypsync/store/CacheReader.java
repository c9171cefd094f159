package org.ypsync.store;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** Reads the cache for the Moodle stages (never NetYpareo directly). Gone records are included, flagged. */
public final class CacheReader {

    public record SiteRow(int instance, int code, String name, String shortCode, boolean unused, boolean gone) {
    }

    public record StudentRow(int instance, int code, String login, String lastName, String firstName, String email,
                             Integer siteCode, Integer statusCode, boolean active, LocalDate leavingDate, boolean gone) {
    }

    public record StaffRow(int instance, int code, String login, String lastName, String firstName, String email,
                           boolean trainer, List<Integer> siteCodes, boolean unused, boolean gone) {
    }

    public record TutorRow(int instance, int code, String login, String lastName, String firstName, String email,
                           boolean gone) {
    }

    public record TutorStudentRow(int instance, int tutorCode, int studentCode) {
    }

    public record GroupRow(int instance, String family, int code, String name, String shortName, Integer siteCode,
                           Integer periodCode, Integer trainingCode, LocalDate start, LocalDate end, boolean gone) {
    }

    public record GroupMemberRow(int instance, String family, int groupCode, int studentCode) {
    }

    /** A staff member who teaches a diploma group (the timetable's pairs). */
    public record GroupTrainerRow(int instance, int groupCode, int staffCode) {
    }

    private final DataSource dataSource;

    public CacheReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<SiteRow> sites() {
        List<SiteRow> out = new ArrayList<>();
        Jdbc.query(dataSource, "SELECT instance_index, code, name, short_code, unused, gone_at FROM np_site "
                + "ORDER BY instance_index, code", rs -> out.add(new SiteRow(rs.getInt(1), rs.getInt(2), rs.getString(3),
                rs.getString(4), rs.getBoolean(5), rs.getTimestamp(6) != null)));
        return out;
    }

    public void students(Consumer<StudentRow> each) {
        Jdbc.query(dataSource, "SELECT instance_index, code, login, last_name, first_name, email, site_code, status_code, "
                + "active, leaving_date, gone_at FROM np_student ORDER BY instance_index, code", rs -> each.accept(
                new StudentRow(rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), (Integer) rs.getObject(7), (Integer) rs.getObject(8), rs.getBoolean(9),
                        rs.getDate(10) == null ? null : rs.getDate(10).toLocalDate(), rs.getTimestamp(11) != null)));
    }

    public void staff(Consumer<StaffRow> each) {
        Jdbc.query(dataSource, "SELECT instance_index, code, login, last_name, first_name, email, trainer, site_codes, "
                + "unused, gone_at FROM np_staff ORDER BY instance_index, code", rs -> each.accept(new StaffRow(
                rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getBoolean(7), codes(rs.getString(8)), rs.getBoolean(9), rs.getTimestamp(10) != null)));
    }

    public void tutors(Consumer<TutorRow> each) {
        Jdbc.query(dataSource, "SELECT instance_index, code, login, last_name, first_name, email, gone_at FROM np_tutor "
                + "ORDER BY instance_index, code", rs -> each.accept(new TutorRow(rs.getInt(1), rs.getInt(2),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7) != null)));
    }

    /** Current tutor-student links (gone ones excluded). */
    public void tutorStudents(Consumer<TutorStudentRow> each) {
        Jdbc.query(dataSource, "SELECT instance_index, tutor_code, student_code FROM np_tutor_student WHERE gone_at IS NULL",
                rs -> each.accept(new TutorStudentRow(rs.getInt(1), rs.getInt(2), rs.getInt(3))));
    }

    public List<GroupRow> groups(String family) {
        List<GroupRow> out = new ArrayList<>();
        Jdbc.query(dataSource, "SELECT instance_index, family, code, name, short_name, site_code, period_code, start_date, "
                + "end_date, gone_at, training_code FROM np_group WHERE family = ? ORDER BY instance_index, code", rs -> out.add(
                new GroupRow(rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                        (Integer) rs.getObject(6), (Integer) rs.getObject(7), (Integer) rs.getObject(11),
                        rs.getDate(8) == null ? null : rs.getDate(8).toLocalDate(),
                        rs.getDate(9) == null ? null : rs.getDate(9).toLocalDate(), rs.getTimestamp(10) != null)), family);
        return out;
    }

    /** Current members of the groups of a family (gone ones excluded). */
    public void groupMembers(String family, Consumer<GroupMemberRow> each) {
        Jdbc.query(dataSource, "SELECT instance_index, family, group_code, student_code FROM np_group_member "
                + "WHERE family = ? AND gone_at IS NULL", rs -> each.accept(new GroupMemberRow(rs.getInt(1),
                rs.getString(2), rs.getInt(3), rs.getInt(4))), family);
    }

    /** Current trainers of the diploma groups (gone pairs excluded). */
    public void groupTrainers(Consumer<GroupTrainerRow> each) {
        Jdbc.query(dataSource, "SELECT instance_index, group_code, staff_code FROM np_group_trainer "
                + "WHERE gone_at IS NULL", rs -> each.accept(new GroupTrainerRow(rs.getInt(1), rs.getInt(2),
                rs.getInt(3))));
    }

    static List<Integer> codes(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
    }
}
