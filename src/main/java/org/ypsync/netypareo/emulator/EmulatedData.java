package org.ypsync.netypareo.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.ypsync.netypareo.Group;
import org.ypsync.netypareo.Period;
import org.ypsync.netypareo.Periods;
import org.ypsync.netypareo.Site;
import org.ypsync.netypareo.StaffAccount;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.TutorAccount;

/**
 * The data one emulated NetYpareo instance serves. Mutable between sync runs; every method locks the instance, and
 * reads return copies, so the emulator can stream a consistent snapshot while a test mutates.
 * Records keep their insertion order (the order the emulator answers in).
 */
public final class EmulatedData {
    /** What {@link #mutate(Random, double)} changed. */
    public record Mutation(int arrivals, int leavers, int removals, int renames, int emailChanges, int groupMoves) {
        public int total() {
            return arrivals + leavers + removals + renames + emailChanges + groupMoves;
        }
    }

    private final int instanceIndex;
    private LocalDate today;
    private final Map<Integer, Site> sites = new LinkedHashMap<>();
    private final Map<Integer, Period> periods = new LinkedHashMap<>();
    private final Map<Integer, StudentAccount> students = new LinkedHashMap<>();
    private final Map<Integer, StaffAccount> staff = new LinkedHashMap<>();
    private final Map<Integer, TutorAccount> tutors = new LinkedHashMap<>();
    private final Map<Integer, Group> diplomaGroups = new LinkedHashMap<>();
    private final Map<Integer, Group> fcGroups = new LinkedHashMap<>();
    private final Map<Integer, Set<Integer>> members = new HashMap<>();
    private final Map<Integer, Set<Integer>> trainers = new HashMap<>();
    private final Map<String, List<JsonNode>> rawExtras = new HashMap<>();
    private int lastStudentCode;

    /**
     * @param instanceIndex the instance's position (used for uuids and new codes)
     * @param today         the emulated "today" (leaving dates of {@link #mutate}, the current period)
     */
    public EmulatedData(int instanceIndex, LocalDate today) {
        this.instanceIndex = instanceIndex;
        this.today = today;
        this.lastStudentCode = (instanceIndex + 1) * 1_000_000;
    }

    public int instanceIndex() {
        return instanceIndex;
    }

    public synchronized LocalDate today() {
        return today;
    }

    public synchronized void setToday(LocalDate today) {
        this.today = today;
    }

    // ------------------------------------------------------------------ reads (copies)

    public synchronized List<Site> sites() {
        return List.copyOf(sites.values());
    }

    public synchronized List<Period> periods() {
        return List.copyOf(periods.values());
    }

    /** The period containing {@link #today()}. */
    public synchronized Optional<Period> currentPeriod() {
        return Periods.current(List.copyOf(periods.values()), today);
    }

    public synchronized List<StudentAccount> students() {
        return List.copyOf(students.values());
    }

    public synchronized Optional<StudentAccount> student(int code) {
        return Optional.ofNullable(students.get(code));
    }

    public synchronized List<StaffAccount> staff() {
        return List.copyOf(staff.values());
    }

    public synchronized List<TutorAccount> tutors() {
        return List.copyOf(tutors.values());
    }

    public synchronized List<Group> diplomaGroups() {
        return List.copyOf(diplomaGroups.values());
    }

    public synchronized List<Group> fcGroups() {
        return List.copyOf(fcGroups.values());
    }

    /** A diploma or FC group. */
    public synchronized Optional<Group> group(int code) {
        Group g = diplomaGroups.get(code);
        return Optional.ofNullable(g != null ? g : fcGroups.get(code));
    }

    /** Student codes of a group's members, in the order they joined; empty for an unknown group. */
    public synchronized List<Integer> members(int groupCode) {
        Set<Integer> m = members.get(groupCode);
        return m == null ? List.of() : List.copyOf(m);
    }

    /** Codes of the groups a student belongs to. */
    public synchronized List<Integer> groupsOf(int studentCode) {
        List<Integer> groups = new ArrayList<>();
        members.forEach((g, m) -> {
            if (m.contains(studentCode)) {
                groups.add(g);
            }
        });
        groups.sort(null);
        return groups;
    }

    /** Records served after the regular ones on {@code path} (e.g. a deliberately broken record). */
    public synchronized List<JsonNode> rawRecords(String path) {
        return List.copyOf(rawExtras.getOrDefault(path, List.of()));
    }

    // ------------------------------------------------------------------ sites and periods

    public synchronized void putSite(Site site) {
        sites.put(site.code(), site);
    }

    public synchronized void removeSite(int code) {
        require(sites.remove(code), "site", code);
    }

    public synchronized void putPeriod(Period period) {
        periods.put(period.code(), period);
    }

    public synchronized void removePeriod(int code) {
        require(periods.remove(code), "period", code);
    }

    // ------------------------------------------------------------------ students

    /** Adds or replaces a student (by code). */
    public synchronized void putStudent(StudentAccount s) {
        students.put(s.code(), s);
        lastStudentCode = Math.max(lastStudentCode, s.code());
    }

    /** A code no student of this instance has used yet. */
    public synchronized int nextStudentCode() {
        lastStudentCode += 7;
        return lastStudentCode;
    }

    /** Removes a student's account, memberships and tutor links. */
    public synchronized void removeStudent(int code) {
        require(students.get(code), "student", code);
        removeStudents(Set.of(code));
    }

    /** Removes students (unknown codes are ignored), their memberships and tutor links, in one pass. */
    public synchronized void removeStudents(Collection<Integer> codes) {
        Set<Integer> gone = new HashSet<>(codes);
        gone.forEach(students::remove);
        members.values().forEach(m -> m.removeAll(gone));
        for (Map.Entry<Integer, TutorAccount> e : tutors.entrySet()) {
            TutorAccount t = e.getValue();
            for (Integer c : t.studentCodes()) {
                if (gone.contains(c)) {
                    List<Integer> rest = new ArrayList<>(t.studentCodes());
                    rest.removeAll(gone);
                    e.setValue(new TutorAccount(t.code(), t.login(), t.lastName(), t.firstName(), t.email(),
                            t.companyCode(), rest));
                    break;
                }
            }
        }
    }

    public synchronized void updateStudent(int code, UnaryOperator<StudentAccount> change) {
        StudentAccount s = require(students.get(code), "student", code);
        StudentAccount changed = change.apply(s);
        if (changed.code() != code) {
            throw new IllegalArgumentException("a student update may not change the code " + code);
        }
        students.put(code, changed);
    }

    public void renameStudent(int code, String lastName, String firstName) {
        updateStudent(code, s -> new StudentAccount(s.code(), s.login(), lastName, firstName, s.email(), s.siteCode(),
                s.statusCode(), s.active(), s.leavingDate()));
    }

    public void setStudentLogin(int code, String login) {
        updateStudent(code, s -> new StudentAccount(s.code(), login, s.lastName(), s.firstName(), s.email(),
                s.siteCode(), s.statusCode(), s.active(), s.leavingDate()));
    }

    public void setStudentEmail(int code, String email) {
        updateStudent(code, s -> new StudentAccount(s.code(), s.login(), s.lastName(), s.firstName(), email,
                s.siteCode(), s.statusCode(), s.active(), s.leavingDate()));
    }

    public void moveStudentToSite(int code, Integer siteCode) {
        updateStudent(code, s -> new StudentAccount(s.code(), s.login(), s.lastName(), s.firstName(), s.email(),
                siteCode, s.statusCode(), s.active(), s.leavingDate()));
    }

    /** isActif: whether the NetYpareo account is activated. */
    public void setStudentActive(int code, boolean active) {
        updateStudent(code, s -> new StudentAccount(s.code(), s.login(), s.lastName(), s.firstName(), s.email(),
                s.siteCode(), s.statusCode(), active, s.leavingDate()));
    }

    public void deactivateStudent(int code) {
        setStudentActive(code, false);
    }

    /** dateDepart; null clears it. */
    public void setLeavingDate(int code, LocalDate leavingDate) {
        updateStudent(code, s -> new StudentAccount(s.code(), s.login(), s.lastName(), s.firstName(), s.email(),
                s.siteCode(), s.statusCode(), s.active(), leavingDate));
    }

    // ------------------------------------------------------------------ staff and tutors

    public synchronized void putStaff(StaffAccount s) {
        staff.put(s.code(), s);
    }

    public synchronized void updateStaff(int code, UnaryOperator<StaffAccount> change) {
        replace(staff, code, "staff member", change);
    }

    public void setStaffUnused(int code, boolean unused) {
        updateStaff(code, s -> new StaffAccount(s.code(), s.login(), s.lastName(), s.firstName(), s.email(),
                s.trainer(), s.administrative(), s.siteCodes(), unused));
    }

    public synchronized void putTutor(TutorAccount t) {
        tutors.put(t.code(), t);
    }

    public synchronized void removeTutor(int code) {
        require(tutors.remove(code), "tutor", code);
    }

    public synchronized void updateTutor(int code, UnaryOperator<TutorAccount> change) {
        replace(tutors, code, "tutor", change);
    }

    // ------------------------------------------------------------------ groups

    public synchronized void putDiplomaGroup(Group g) {
        fcGroups.remove(g.code());
        diplomaGroups.put(g.code(), g);
        members.computeIfAbsent(g.code(), k -> new LinkedHashSet<>());
    }

    public synchronized void putFcGroup(Group g) {
        diplomaGroups.remove(g.code());
        fcGroups.put(g.code(), g);
        members.computeIfAbsent(g.code(), k -> new LinkedHashSet<>());
    }

    public synchronized void updateGroup(int code, UnaryOperator<Group> change) {
        Map<Integer, Group> kind = diplomaGroups.containsKey(code) ? diplomaGroups : fcGroups;
        Group g = require(kind.get(code), "group", code);
        kind.put(code, change.apply(g));
    }

    public void renameGroup(int code, String name) {
        updateGroup(code, g -> new Group(g.code(), name, g.shortName(), g.siteCode(), g.periodCode(),
                g.trainingCode(), g.start(), g.end()));
    }

    public void setGroupDates(int code, LocalDate start, LocalDate end) {
        updateGroup(code, g -> new Group(g.code(), g.name(), g.shortName(), g.siteCode(), g.periodCode(),
                g.trainingCode(), start, end));
    }

    /** Ends a (FC) group on {@code end}; a start after {@code end} is moved back to it. */
    public void endGroup(int code, LocalDate end) {
        updateGroup(code, g -> new Group(g.code(), g.name(), g.shortName(), g.siteCode(), g.periodCode(),
                g.trainingCode(), g.start() != null && g.start().isAfter(end) ? end : g.start(), end));
    }

    /** Ends an FC group on {@code end} (e.g. before the FC window, so it drops out of the answers). */
    public void endFcGroup(int code, LocalDate end) {
        endGroup(code, end);
    }

    /** Removes every member; the group stays. */
    public synchronized void emptyGroup(int code) {
        require(group(code).orElse(null), "group", code);
        members.get(code).clear();
    }

    /** Removes the group, its memberships and its trainers. */
    public synchronized void removeGroup(int code) {
        if (diplomaGroups.remove(code) == null) {
            require(fcGroups.remove(code), "group", code);
        }
        members.remove(code);
        trainers.remove(code);
    }

    /** Staff codes of the trainers the timetable gives a diploma group, in the order they were added. */
    public synchronized List<Integer> trainers(int groupCode) {
        Set<Integer> t = trainers.get(groupCode);
        return t == null ? List.of() : List.copyOf(t);
    }

    /** A staff member now teaches the group (a session of theirs in its timetable). */
    public synchronized void addTrainer(int groupCode, int staffCode) {
        require(diplomaGroups.get(groupCode), "diploma group", groupCode);
        trainers.computeIfAbsent(groupCode, k -> new LinkedHashSet<>()).add(staffCode);
    }

    /** A staff member no longer teaches the group. */
    public synchronized void removeTrainer(int groupCode, int staffCode) {
        Set<Integer> t = trainers.get(groupCode);
        if (t == null || !t.remove(staffCode)) {
            throw new NoSuchElementException("staff member " + staffCode + " does not teach group " + groupCode);
        }
    }

    public synchronized void addMember(int groupCode, int studentCode) {
        require(group(groupCode).orElse(null), "group", groupCode);
        members.get(groupCode).add(studentCode);
    }

    public synchronized void removeMember(int groupCode, int studentCode) {
        Set<Integer> m = members.get(groupCode);
        if (m == null || !m.remove(studentCode)) {
            throw new NoSuchElementException("student " + studentCode + " is not in group " + groupCode);
        }
    }

    /**
     * Moves a student into {@code toGroup}, out of every other group of the same kind (diploma or FC): the usual
     * class change.
     */
    public synchronized void moveStudentToGroup(int studentCode, int toGroup) {
        require(group(toGroup).orElse(null), "group", toGroup);
        Collection<Integer> sameKind = diplomaGroups.containsKey(toGroup) ? diplomaGroups.keySet() : fcGroups.keySet();
        for (Integer g : sameKind) {
            members.get(g).remove(studentCode);
        }
        members.get(toGroup).add(studentCode);
    }

    // ------------------------------------------------------------------ raw records

    /**
     * Serves {@code record} after the regular records of {@code path}: a contract path without its query
     * ("sites", "utilisateur/apprenants", "formation-longue/groupes"), or "formation-courte/groupes" for every FC
     * window, or "groupes/apprenants" for the members of every group. For a deliberately broken record.
     */
    public synchronized void addRawRecord(String path, JsonNode record) {
        rawExtras.computeIfAbsent(path, k -> new ArrayList<>()).add(record);
    }

    public synchronized void clearRawRecords() {
        rawExtras.clear();
    }

    // ------------------------------------------------------------------ benchmark churn

    /**
     * Changes about {@code share} of the students, as between two real sync runs: arrivals (new accounts placed in
     * a diploma group), leavers (dateDepart set to yesterday), removed accounts, renames, e-mail changes and
     * diploma-group moves, in roughly equal parts. Deterministic for a given {@code random}.
     */
    public synchronized Mutation mutate(Random random, double share) {
        List<Integer> codes = new ArrayList<>(students.keySet());
        int n = (int) Math.round(codes.size() * share);
        if (n == 0 && share > 0) {
            n = 1;
        }
        int part = Math.max(1, n / 6);
        List<Integer> groupCodes = new ArrayList<>(diplomaGroups.keySet());
        List<Integer> siteCodes = new ArrayList<>(sites.keySet());
        Set<Integer> touched = new LinkedHashSet<>();
        List<Integer> removed = new ArrayList<>();
        int arrivals = 0;
        int leavers = 0;
        int removals = 0;
        int renames = 0;
        int emails = 0;
        int moves = 0;
        for (int i = 0; i < part; i++) {
            int code = nextStudentCode();
            String last = Names.pick(random, Names.LAST);
            String first = Names.pick(random, Names.FIRST);
            Integer site = siteCodes.isEmpty() ? null : siteCodes.get(random.nextInt(siteCodes.size()));
            students.put(code, new StudentAccount(code, "apprenant" + code, last, first,
                    "a" + code + "." + instanceIndex + "@eleves.example.org", site, 1, true, null));
            if (!groupCodes.isEmpty()) {
                members.get(groupCodes.get(random.nextInt(groupCodes.size()))).add(code);
            }
            touched.add(code);
            arrivals++;
        }
        if (codes.isEmpty()) {
            return new Mutation(arrivals, 0, 0, 0, 0, 0);
        }
        for (int i = 0; i < part * 5; i++) {
            int code = codes.get(random.nextInt(codes.size()));
            if (!touched.add(code) || !students.containsKey(code)) {
                continue;
            }
            StudentAccount s = students.get(code);
            switch (i % 5) {
                case 0 -> {
                    students.put(code, new StudentAccount(code, s.login(), s.lastName(), s.firstName(), s.email(),
                            s.siteCode(), s.statusCode(), s.active(), today.minusDays(1)));
                    leavers++;
                }
                case 1 -> {
                    removed.add(code);
                    removals++;
                }
                case 2 -> {
                    String last = Names.pick(random, Names.LAST) + "-" + s.lastName();
                    students.put(code, new StudentAccount(code, s.login(), last, s.firstName(), s.email(),
                            s.siteCode(), s.statusCode(), s.active(), s.leavingDate()));
                    renames++;
                }
                case 3 -> {
                    students.put(code, new StudentAccount(code, s.login(), s.lastName(), s.firstName(),
                            Names.mailToken(s.firstName()) + "." + code + "@mail.example.net", s.siteCode(),
                            s.statusCode(), s.active(), s.leavingDate()));
                    emails++;
                }
                default -> {
                    if (groupCodes.size() > 1) {
                        moveStudentToGroup(code, groupCodes.get(random.nextInt(groupCodes.size())));
                        moves++;
                    }
                }
            }
        }
        removeStudents(removed);
        return new Mutation(arrivals, leavers, removals, renames, emails, moves);
    }

    /** Replaces the record of {@code code} (which must be there) by {@code change} of it. */
    private static <T> void replace(Map<Integer, T> records, int code, String what, UnaryOperator<T> change) {
        records.put(code, change.apply(require(records.get(code), what, code)));
    }

    private static <T> T require(T found, String what, int code) {
        if (found == null) {
            throw new NoSuchElementException("no " + what + " with code " + code);
        }
        return found;
    }
}
