package org.ypsync.stage;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.ypsync.netypareo.Group;
import org.ypsync.netypareo.Period;
import org.ypsync.netypareo.Site;
import org.ypsync.netypareo.StaffAccount;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.TutorAccount;
import org.ypsync.netypareo.emulator.EmulatedData;

/**
 * The oracle of the scenario and convergence tests: what Moodle should hold, computed from the emulated NetYpareo
 * data with the rules of the README and the issues, written again here on purpose (no ypsync class is used), so a
 * bug in ypsync's mapping cannot hide in its own expectation.
 *
 * <p>People ypsync must reject (no or invalid e-mail) are not expected at all. People whose e-mail or username is
 * also another person's are "contested": which of them gets the account depends on the order of events, so the
 * tests only check that Moodle never holds two accounts for one e-mail and never merges them.
 */
final class ExpectedMoodle {
    static final int FC_PAST_DAYS = 30;
    static final int FC_FUTURE_DAYS = 365;
    static final int FC_GRACE_DAYS = 30;
    private static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*$");

    /** One NetYpareo person as Moodle should see it. */
    record Person(int instance, String type, int code, String username, String firstname, String lastname,
                  String email, boolean active, Set<String> siteCohorts) {
        String idnumber() {
            return (instance == 0 ? "" : instance + "_") + code;
        }

        boolean valid() {
            return email != null && !email.isBlank() && EMAIL.matcher(email.trim()).matches() && username != null
                    && !username.isEmpty() && firstname != null && !firstname.isBlank() && lastname != null
                    && !lastname.isBlank();
        }
    }

    /** A group cohort as Moodle should see it: name and the student idnumbers NetYpareo lists. */
    record GroupCohort(String idnumber, String name, Set<String> studentIdnumbers) {
    }

    /**
     * A course as Moodle should see it (sync.courses.enabled): one per diploma group of the current period, named
     * after the group, the idnumbers of the students the group lists and of the trainers its timetable lists.
     */
    record ExpectedCourse(String idnumber, String name, Set<String> studentIdnumbers, Set<String> trainerIdnumbers) {
    }

    final Map<String, Person> people = new TreeMap<>();
    final Map<String, ExpectedCourse> courses = new TreeMap<>();
    final Map<String, String> siteCohortNames = new TreeMap<>();
    final Map<String, GroupCohort> groupCohorts = new TreeMap<>();
    /** idnumbers of people who share an e-mail or username with someone else. */
    final Set<String> contested = new TreeSet<>();
    private Set<Integer> statuses = Set.of();

    static ExpectedMoodle of(List<EmulatedData> instances, LocalDate today) {
        return of(instances, today, FC_PAST_DAYS);
    }

    /** @param fcPastDays how far back the FC window reaches (sync.fc.window-past-days) */
    static ExpectedMoodle of(List<EmulatedData> instances, LocalDate today, int fcPastDays) {
        return of(instances, today, fcPastDays, Set.of(), false);
    }

    /**
     * @param statuses         sync.students.statuses: when not empty, only students of these statuses are active
     * @param allowSharedEmail moodle.allow-shared-email: a shared e-mail no longer makes people contested
     */
    static ExpectedMoodle of(List<EmulatedData> instances, LocalDate today, int fcPastDays, Set<Integer> statuses,
                             boolean allowSharedEmail) {
        ExpectedMoodle e = new ExpectedMoodle();
        e.statuses = statuses;
        for (EmulatedData d : instances) {
            e.add(d, today, fcPastDays);
        }
        Map<String, List<String>> byEmail = new HashMap<>();
        Map<String, List<String>> byUsername = new HashMap<>();
        for (Person p : e.people.values()) {
            if (p.email() != null && !p.email().isBlank()) {
                byEmail.computeIfAbsent(p.email().trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(p.idnumber());
            }
            byUsername.computeIfAbsent(p.username(), k -> new ArrayList<>()).add(p.idnumber());
        }
        if (!allowSharedEmail) {
            byEmail.values().stream().filter(l -> l.size() > 1).forEach(e.contested::addAll);
        }
        byUsername.values().stream().filter(l -> l.size() > 1).forEach(e.contested::addAll);
        return e;
    }

    static String prefix(int instance) {
        return instance == 0 ? "" : instance + "_";
    }

    static String username(String login) {
        if (login == null) {
            return "";
        }
        // accents and ligatures folded to ASCII, as the README promises (œ is a ligature NFD leaves alone)
        String s = Normalizer.normalize(login.trim().toLowerCase(Locale.ROOT).replace("œ", "oe").replace("æ", "ae")
                .replace("ß", "ss"), Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '@') {
                out.append(c);
            }
        }
        return out.toString();
    }

    private void add(EmulatedData d, LocalDate today, int fcPastDays) {
        int i = d.instanceIndex();
        Map<Integer, String> siteCohort = new HashMap<>();
        for (Site s : d.sites()) {
            if (!s.unused()) {
                String idnumber = prefix(i) + "SITE_" + s.shortCode();
                siteCohort.put(s.code(), idnumber);
                siteCohortNames.put(idnumber, s.name());
            }
        }
        Map<Integer, StudentAccount> students = new LinkedHashMap<>();
        for (StudentAccount s : d.students()) {
            students.put(s.code(), s);
            boolean active = s.active() && (s.leavingDate() == null || !s.leavingDate().isBefore(today))
                    && (statuses.isEmpty() || (s.statusCode() != null && statuses.contains(s.statusCode())));
            put(new Person(i, "student", s.code(), username(s.login()), s.firstName(), s.lastName(), s.email(), active,
                    site(siteCohort, s.siteCode())));
        }
        for (StaffAccount s : d.staff()) {
            if (!s.trainer()) {
                continue;
            }
            Set<String> sites = new TreeSet<>();
            s.siteCodes().forEach(c -> sites.addAll(site(siteCohort, c)));
            put(new Person(i, "teacher", s.code(), username(s.login()), s.firstName(), s.lastName(), s.email(),
                    !s.unused(), sites));
        }
        for (TutorAccount t : d.tutors()) {
            Set<String> sites = new TreeSet<>();
            for (Integer c : t.studentCodes()) {
                StudentAccount s = students.get(c);
                if (s != null) {
                    sites.addAll(site(siteCohort, s.siteCode()));
                }
            }
            put(new Person(i, "tutor", t.code(), username(t.login()), t.firstName(), t.lastName(), t.email(), true,
                    sites));
        }
        Optional<Period> current = d.currentPeriod();
        for (Group g : d.diplomaGroups()) {
            if (current.isPresent() && g.periodCode() != null && g.periodCode() == current.get().code()) {
                groupCohorts.put(prefix(i) + "GRP_" + g.code(), group(d, prefix(i) + "GRP_" + g.code(), g));
                Set<String> trainers = new TreeSet<>();
                d.trainers(g.code()).forEach(c -> trainers.add(prefix(i) + c));
                courses.put(prefix(i) + "CRS_" + g.code(), new ExpectedCourse(prefix(i) + "CRS_" + g.code(), g.name(),
                        group(d, "", g).studentIdnumbers(), trainers));
            }
        }
        LocalDate from = today.minusDays(fcPastDays);
        LocalDate to = today.plusDays(FC_FUTURE_DAYS);
        LocalDate graceLimit = today.minusDays(FC_GRACE_DAYS);
        for (Group g : d.fcGroups()) {
            boolean inWindow = (g.start() == null || !g.start().isAfter(to)) && (g.end() == null || !g.end().isBefore(from));
            boolean notEnded = g.end() == null || !g.end().isBefore(graceLimit);
            if (inWindow && notEnded) {
                groupCohorts.put(prefix(i) + "FC_" + g.code(), group(d, prefix(i) + "FC_" + g.code(), g));
            }
        }
    }

    private static GroupCohort group(EmulatedData d, String idnumber, Group g) {
        Set<String> members = new TreeSet<>();
        d.members(g.code()).forEach(c -> members.add(prefix(d.instanceIndex()) + c));
        return new GroupCohort(idnumber, g.name(), members);
    }

    private static Set<String> site(Map<Integer, String> siteCohort, Integer code) {
        String c = code == null ? null : siteCohort.get(code);
        return c == null ? Set.of() : Set.of(c);
    }

    private void put(Person p) {
        people.put(p.idnumber(), p);
    }

    /** People who must have a working account: active, valid, not contested. */
    List<Person> sureActive() {
        return people.values().stream().filter(p -> p.active() && p.valid() && !contested.contains(p.idnumber())).toList();
    }

    /** The idnumbers of the people expected in a site cohort (sure ones only). */
    Set<String> siteMembers(String cohort) {
        Set<String> out = new TreeSet<>();
        sureActive().stream().filter(p -> p.siteCohorts().contains(cohort)).forEach(p -> out.add(p.idnumber()));
        return out;
    }
}
