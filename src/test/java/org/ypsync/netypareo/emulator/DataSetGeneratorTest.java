package org.ypsync.netypareo.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ypsync.netypareo.Group;
import org.ypsync.netypareo.Period;
import org.ypsync.netypareo.Site;
import org.ypsync.netypareo.StaffAccount;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.TutorAccount;

class DataSetGeneratorTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 25);

    private static <T, K> Set<K> set(Collection<T> list, Function<T, K> f) {
        return list.stream().map(f).collect(Collectors.toSet());
    }

    @Test
    void sameSeedSameData() {
        for (DataSetSize size : List.of(DataSetSize.DEMO, DataSetSize.SMALL)) {
            EmulatedData a = DataSetGenerator.generate(99, 1, size, TODAY);
            EmulatedData b = DataSetGenerator.generate(99, 1, size, TODAY);
            assertEquals(a.sites(), b.sites());
            assertEquals(a.periods(), b.periods());
            assertEquals(a.students(), b.students());
            assertEquals(a.staff(), b.staff());
            assertEquals(a.tutors(), b.tutors());
            assertEquals(a.diplomaGroups(), b.diplomaGroups());
            assertEquals(a.fcGroups(), b.fcGroups());
            for (Group g : a.diplomaGroups()) {
                assertEquals(a.members(g.code()), b.members(g.code()));
            }
        }
        assertNotEquals(DataSetGenerator.generate(1, 0, DataSetSize.SMALL, TODAY).students(),
                DataSetGenerator.generate(2, 0, DataSetSize.SMALL, TODAY).students());
    }

    @Test
    void sizesAreHonoured() {
        EmulatedData d = DataSetGenerator.generate(1, 0, DataSetSize.SMALL, TODAY);
        assertEquals(3, d.sites().size());
        assertEquals(300, d.students().size());
        assertEquals(20, d.staff().stream().filter(s -> s.trainer() && !s.unused()).count());
        assertEquals(60, d.tutors().size());
        assertEquals(12, d.diplomaGroups().stream().filter(g -> g.periodCode() == 16).count());
        assertEquals(6, d.fcGroups().size());
        int demoRecords = sizeOf(DataSetGenerator.generate(1, 0, DataSetSize.DEMO, TODAY));
        assertTrue(demoRecords >= 30 && demoRecords <= 80, "DEMO is a few dozen records: " + demoRecords);
        DataSetSize large = DataSetSize.ofStudents(100_000);
        assertEquals(100_000, large.students());
        assertEquals(4000, large.diplomaGroups());
        assertEquals(5000, large.trainers());
    }

    private static int sizeOf(EmulatedData d) {
        return d.sites().size() + d.periods().size() + d.students().size() + d.staff().size() + d.tutors().size()
                + d.diplomaGroups().size() + d.fcGroups().size();
    }

    @Test
    void codeRangesPerInstanceWithDeliberateOverlaps() {
        EmulatedData a = DataSetGenerator.generate(4, 0, DataSetSize.SMALL, TODAY);
        EmulatedData b = DataSetGenerator.generate(4, 1, DataSetSize.SMALL, TODAY);
        assertTrue(a.students().stream().allMatch(s -> s.code() >= 1_000_000 && s.code() < 2_000_000));
        assertTrue(b.students().stream().allMatch(s -> s.code() >= 2_000_000 && s.code() < 3_000_000));
        assertEquals(1_000_003, a.students().get(0).code());
        assertTrue(a.staff().stream().allMatch(s -> s.code() / 10000 == 51));
        assertTrue(b.staff().stream().allMatch(s -> s.code() / 10000 == 52));
        assertTrue(a.tutors().stream().allMatch(t -> t.code() / 10000 == 31));
        assertTrue(b.tutors().stream().allMatch(t -> t.code() / 10000 == 32));
        // same codes, different things
        assertEquals(set(a.sites(), Site::code), set(b.sites(), Site::code));
        assertTrue(set(a.sites(), Site::code).containsAll(Set.of(10, 11)));
        assertNotEquals(a.sites().get(0).shortCode(), b.sites().get(0).shortCode());
        assertEquals(set(a.diplomaGroups(), Group::code), set(b.diplomaGroups(), Group::code));
        assertTrue(set(a.diplomaGroups(), Group::code).contains(846000));
        assertNotEquals(a.members(846000), b.members(846000));
        // period 16 is instance 0's current year and instance 1's old one
        assertEquals(16, a.currentPeriod().orElseThrow().code());
        assertEquals(17, b.currentPeriod().orElseThrow().code());
        assertTrue(set(b.periods(), Period::code).contains(16));
    }

    @Test
    void currentPeriodContainsToday() {
        for (LocalDate day : List.of(TODAY, LocalDate.of(2027, 8, 31), LocalDate.of(2027, 9, 1), LocalDate.of(2027, 1, 1))) {
            EmulatedData d = DataSetGenerator.generate(1, 0, DataSetSize.DEMO, day);
            assertTrue(d.currentPeriod().orElseThrow().contains(day), day.toString());
            assertEquals(1, d.periods().stream().filter(p -> p.contains(day)).count());
            assertEquals(Set.of(d.currentPeriod().get().code()), d.diplomaGroups().stream()
                    .filter(g -> !g.name().contains("ancien")).map(Group::periodCode).collect(Collectors.toSet()));
        }
    }

    @Test
    void realCfaQuirksArePresent() {
        EmulatedData d = DataSetGenerator.generate(8, 0, DataSetSize.SMALL, TODAY);
        List<StudentAccount> students = d.students();
        Set<String> lastNames = set(students, StudentAccount::lastName);
        assertTrue(lastNames.containsAll(Set.of("D'Arc", "Nguyễn", "Müller", "O'Neil")), lastNames.toString());
        assertTrue(set(students, StudentAccount::firstName).stream().anyMatch(n -> n.matches(".*[éèëêïôç].*")));
        assertTrue(students.stream().anyMatch(s -> s.login().equals(s.login().toUpperCase())), "upper-case logins");
        assertTrue(students.stream().anyMatch(s -> !s.login().matches("[a-zA-Z0-9]+")), "logins needing folding");
        Map<String, Long> emails = students.stream().filter(s -> s.email() != null)
                .collect(Collectors.groupingBy(StudentAccount::email, Collectors.counting()));
        assertTrue(emails.values().stream().anyMatch(c -> c > 1), "shared family e-mails");
        assertTrue(students.stream().anyMatch(s -> s.email() == null), "missing e-mails");
        assertTrue(students.stream().anyMatch(s -> !s.active()), "inactive accounts");
        assertTrue(students.stream().anyMatch(s -> s.leavingDate() != null && s.leavingDate().isBefore(TODAY)), "leavers");
        assertTrue(students.stream().anyMatch(s -> d.groupsOf(s.code()).isEmpty()), "learners in no group");
        assertTrue(students.stream().anyMatch(s -> d.groupsOf(s.code()).size() > 1), "learners in a diploma and an FC group");
        Set<Integer> grouped = new HashSet<>();
        d.diplomaGroups().forEach(g -> grouped.addAll(d.members(g.code())));
        assertTrue(grouped.size() > students.size() * 9 / 10);

        List<StaffAccount> staff = d.staff();
        assertTrue(staff.stream().anyMatch(StaffAccount::unused), "unused staff");
        assertTrue(staff.stream().anyMatch(s -> s.administrative() && !s.trainer()), "administrative non-trainers");
        assertTrue(staff.stream().anyMatch(s -> s.siteCodes().size() > 1), "trainers on two sites");
        assertTrue(d.sites().stream().anyMatch(Site::unused), "an unused site");

        List<TutorAccount> tutors = d.tutors();
        assertTrue(tutors.stream().allMatch(t -> t.studentCodes().size() >= 1 && t.studentCodes().size() <= 3));
        assertEquals(Set.of(1, 2, 3), set(tutors, t -> t.studentCodes().size()));
        Set<Integer> studentCodes = set(students, StudentAccount::code);
        assertTrue(tutors.stream().flatMap(t -> t.studentCodes().stream()).allMatch(studentCodes::contains));
        assertTrue(tutors.stream().collect(Collectors.groupingBy(TutorAccount::email, Collectors.counting()))
                .values().stream().anyMatch(c -> c > 1), "tutors sharing a company address");

        LocalDate from = TODAY.minusDays(30);
        LocalDate to = TODAY.plusDays(365);
        assertTrue(d.fcGroups().stream().anyMatch(g -> g.end().isBefore(from)), "an FC group ended before the window");
        assertTrue(d.fcGroups().stream().anyMatch(g -> g.start().isAfter(to)), "an FC group beyond the window");
        assertTrue(d.fcGroups().stream().anyMatch(g -> g.start().isAfter(TODAY) && !g.start().isAfter(to)), "upcoming");
        assertTrue(d.fcGroups().stream().anyMatch(g -> g.end().isBefore(TODAY) && !g.end().isBefore(from)),
                "ended recently, still in the window");
    }

    @Test
    void demoDataHasTheQuirksToo() {
        EmulatedData d = DataSetGenerator.generate(42, 0, DataSetSize.DEMO, TODAY);
        List<StudentAccount> s = d.students();
        assertTrue(s.stream().anyMatch(x -> x.email() == null));
        assertTrue(s.stream().anyMatch(x -> !x.active()));
        assertTrue(s.stream().anyMatch(x -> x.leavingDate() != null && x.leavingDate().isBefore(TODAY)));
        assertTrue(s.stream().anyMatch(x -> x.login().equals(x.login().toUpperCase())));
        assertTrue(s.stream().collect(Collectors.groupingBy(x -> String.valueOf(x.email()), Collectors.counting()))
                .entrySet().stream().anyMatch(e -> !e.getKey().equals("null") && e.getValue() > 1));
        assertTrue(d.staff().stream().anyMatch(StaffAccount::unused));
        assertTrue(d.staff().stream().anyMatch(x -> x.administrative() && !x.trainer()));
    }
}
