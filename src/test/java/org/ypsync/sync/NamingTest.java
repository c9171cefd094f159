package org.ypsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamingTest {

    @Test
    void idnumbersFollowTheContractWithInstancePrefix() {
        assertEquals("", Naming.prefix(0));
        assertEquals("1_", Naming.prefix(1));
        assertEquals("12_", Naming.prefix(12));
        assertEquals("SITE_S1", Naming.siteCohortIdnumber(0, "S1"));
        assertEquals("1_SITE_CFPPH", Naming.siteCohortIdnumber(1, "CFPPH"));
        assertEquals("GRP_846001", Naming.diplomaGroupIdnumber(0, "846001"));
        assertEquals("2_GRP_846001", Naming.diplomaGroupIdnumber(2, "846001"));
        assertEquals("FC_846021", Naming.fcGroupIdnumber(0, "846021"));
        assertEquals("1_FC_846021", Naming.fcGroupIdnumber(1, "846021"));
        assertEquals("6106273", Naming.userIdnumber(0, "6106273"));
        assertEquals("1_6106273", Naming.userIdnumber(1, "6106273"));
        assertEquals("1_6106273", new UserKey(1, UserKind.STUDENT, "6106273").idnumber());
        assertEquals(new UserKey(0, UserKind.STUDENT, "42"), new UserKey(0, UserKind.STUDENT, " 42 "));
        assertThrows(IllegalArgumentException.class, () -> Naming.prefix(-1));
        assertThrows(IllegalArgumentException.class, () -> new UserKey(-1, UserKind.STUDENT, "1"));
        assertThrows(IllegalArgumentException.class, () -> Naming.siteCohortIdnumber(0, " "));
    }

    @Test
    void familyIsInferredFromDefaultIdnumbers() {
        assertEquals(Optional.of(CohortFamily.SITE), Naming.familyOf("1_SITE_CFPPH"));
        assertEquals(Optional.of(CohortFamily.DIPLOMA_GROUP), Naming.familyOf("GRP_846001"));
        assertEquals(Optional.of(CohortFamily.FC_GROUP), Naming.familyOf("3_FC_1"));
        assertEquals(Optional.empty(), Naming.familyOf("HANDMADE"));
    }

    @Test
    void usernamesAreLowercaseFoldedAscii() {
        assertEquals(Optional.of("apprenant10007"), Usernames.normalise("Apprenant10007"));
        assertEquals(Optional.of("helene.ecoute"), Usernames.normalise("Hélène.Écoute"));
        assertEquals(Optional.of("nguyenvanhe"), Usernames.normalise("Nguyễn Văn Hễ"));
        assertEquals(Optional.of("francois"), Usernames.normalise("françois"));
        assertEquals(Optional.of("coeur.aegis"), Usernames.normalise("Cœur.Ægis"));
        assertEquals(Optional.of("strasse"), Usernames.normalise("Straße"));
        assertEquals(Optional.of("jean-luc_oneil@cfa"), Usernames.normalise("  Jean-Luc_O'Neil@CFA "));
        assertEquals(Optional.of("ab"), Usernames.normalise("a b\t+*!"));
        assertEquals(100, Usernames.normalise("x".repeat(150)).orElseThrow().length());
        assertEquals(Optional.empty(), Usernames.normalise("***"));
        assertEquals(Optional.empty(), Usernames.normalise(""));
        assertEquals(Optional.empty(), Usernames.normalise(null));
        assertEquals(Optional.empty(), Usernames.normalise("日本"));
    }

    @Test
    void emailsAreTrimmedAndCheckedLikeMoodle() {
        assertEquals(Optional.of("a@b.fr"), Emails.trim("  a@b.fr "));
        assertEquals(Optional.empty(), Emails.trim("   "));
        assertEquals(Optional.empty(), Emails.trim(null));
        assertTrue(Emails.isValid("jean.dupont+cfa@mail.example.fr"));
        assertTrue(Emails.isValid("o'neil@example.com"));
        assertFalse(Emails.isValid("jean dupont@example.fr"));
        assertFalse(Emails.isValid("jean@"));
        assertFalse(Emails.isValid("@example.fr"));
        assertFalse(Emails.isValid("jean@@example.fr"));
        assertFalse(Emails.isValid("<jean@example.fr>"));
        assertFalse(Emails.isValid("jean@-example.fr"));
        assertFalse(Emails.isValid("élève@example.fr"));
        assertFalse(Emails.isValid("a".repeat(90) + "@example.fr"), "over 100 chars");
        assertTrue(Emails.isValid("a".repeat(88) + "@example.fr"), "exactly 100 chars");
        assertEquals("jean@example.fr", Emails.uniquenessKey("Jean@Example.FR"));
    }

    @Test
    void generatedPasswordsPassTheDefaultPolicyAndFollowTheSeed() {
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            String p = Passwords.generate(r);
            assertTrue(Passwords.meetsDefaultPolicy(p), p);
            assertEquals(Passwords.LENGTH, p.length());
        }
        assertEquals(Passwords.generate(new Random(7)), Passwords.generate(new Random(7)));
        assertFalse(Passwords.meetsDefaultPolicy("Abcdefg1"), "no special char");
        assertFalse(Passwords.meetsDefaultPolicy("A!cdef1"), "too short");
        assertFalse(Passwords.meetsDefaultPolicy("abcdef1!"), "no upper");
        assertTrue(Passwords.meetsDefaultPolicy("Abcdef1!"));
    }

    @Test
    void tutorSitesComeFromTheirStudents() {
        Map<String, String> siteOf = Map.of("1", "SITE_S1", "2", "SITE_S2", "3", "SITE_S1");
        assertEquals(Set.of("SITE_S1", "SITE_S2"), TutorSites.siteCohorts(List.of("1", "2", "3"), siteOf));
        assertEquals(List.of("SITE_S1", "SITE_S2"), List.copyOf(TutorSites.siteCohorts(List.of("3", "2"), siteOf)));
        assertEquals(Set.of("SITE_S1"), TutorSites.siteCohorts(List.of("1", "99"), siteOf));
        assertEquals(Set.of(), TutorSites.siteCohorts(List.of(), siteOf));
        assertEquals(Set.of(), TutorSites.siteCohorts(null, siteOf));
    }

    @Test
    void userKeysSortNumericallyWithinInstanceAndKind() {
        List<UserKey> keys = new java.util.ArrayList<>(List.of(new UserKey(1, UserKind.STUDENT, "2"),
                new UserKey(0, UserKind.TUTOR, "1"), new UserKey(0, UserKind.STUDENT, "10"),
                new UserKey(0, UserKind.STUDENT, "9"), new UserKey(0, UserKind.TEACHER, "1")));
        keys.sort(UserKey.ORDER);
        assertEquals(List.of(new UserKey(0, UserKind.STUDENT, "9"), new UserKey(0, UserKind.STUDENT, "10"),
                new UserKey(0, UserKind.TEACHER, "1"), new UserKey(0, UserKind.TUTOR, "1"),
                new UserKey(1, UserKind.STUDENT, "2")), keys);
    }
}
