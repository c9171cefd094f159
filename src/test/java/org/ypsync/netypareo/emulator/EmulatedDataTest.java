package org.ypsync.netypareo.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.ypsync.netypareo.Group;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.TutorAccount;

class EmulatedDataTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 25);

    private static EmulatedData data() {
        return DataSetGenerator.generate(1, 0, DataSetSize.DEMO, TODAY);
    }

    @Test
    void removingAStudentDropsItsMembershipsAndTutorLinks() {
        EmulatedData d = data();
        TutorAccount tutor = d.tutors().stream().filter(t -> t.studentCodes().size() >= 2).findFirst().orElseThrow();
        int code = tutor.studentCodes().get(0);
        List<Integer> groups = d.groupsOf(code);
        d.removeStudent(code);
        assertTrue(d.student(code).isEmpty());
        assertTrue(d.groupsOf(code).isEmpty());
        groups.forEach(g -> assertFalse(d.members(g).contains(code)));
        assertTrue(d.tutors().stream().noneMatch(t -> t.studentCodes().contains(code)));
        assertEquals(tutor.studentCodes().subList(1, tutor.studentCodes().size()),
                d.tutors().stream().filter(t -> t.code() == tutor.code()).findFirst().orElseThrow().studentCodes());
        assertThrows(NoSuchElementException.class, () -> d.removeStudent(code));
    }

    @Test
    void movingAStudentStaysWithinTheKindOfGroup() {
        EmulatedData d = data();
        int fc = d.fcGroups().get(0).code();
        int student = d.members(fc).get(0);
        int diploma = d.groupsOf(student).stream().filter(g -> g != fc).findFirst().orElseThrow();
        int other = d.diplomaGroups().stream().map(Group::code).filter(g -> g != diploma).findFirst().orElseThrow();
        d.moveStudentToGroup(student, other);
        assertTrue(d.members(other).contains(student));
        assertFalse(d.members(diploma).contains(student));
        assertTrue(d.members(fc).contains(student), "the FC group is kept");
    }

    @Test
    void helpersChangeOneFieldAndRefuseUnknownCodes() {
        EmulatedData d = data();
        StudentAccount s = d.students().get(2);
        d.setStudentLogin(s.code(), "NOUVEAU.Login");
        d.setStudentActive(s.code(), false);
        StudentAccount after = d.student(s.code()).orElseThrow();
        assertEquals(new StudentAccount(s.code(), "NOUVEAU.Login", s.lastName(), s.firstName(), s.email(),
                s.siteCode(), s.statusCode(), false, s.leavingDate()), after);
        assertThrows(IllegalArgumentException.class, () -> d.updateStudent(s.code(),
                x -> new StudentAccount(1, x.login(), null, null, null, null, null, true, null)));
        assertThrows(NoSuchElementException.class, () -> d.renameStudent(42, "a", "b"));
        assertThrows(NoSuchElementException.class, () -> d.renameGroup(42, "x"));
        assertThrows(NoSuchElementException.class, () -> d.addMember(42, s.code()));
        assertThrows(NoSuchElementException.class, () -> d.removeMember(846000, 42));

        int staff = d.staff().get(0).code();
        d.setStaffUnused(staff, true);
        assertTrue(d.staff().get(0).unused());

        int fc = d.fcGroups().get(0).code();
        d.endFcGroup(fc, TODAY.minusDays(40));
        assertEquals(TODAY.minusDays(40), d.group(fc).orElseThrow().end());
        assertFalse(d.group(fc).orElseThrow().start().isAfter(d.group(fc).orElseThrow().end()));
    }

    @Test
    void newCodesNeverReuseOldOnes() {
        EmulatedData d = data();
        int max = d.students().stream().mapToInt(StudentAccount::code).max().orElseThrow();
        int next = d.nextStudentCode();
        assertTrue(next > max);
        assertTrue(d.nextStudentCode() > next);
    }
}
