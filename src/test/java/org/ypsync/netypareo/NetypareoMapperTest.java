package org.ypsync.netypareo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetypareoMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode samples;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = NetypareoMapperTest.class.getResourceAsStream("netypareo-samples.json")) {
            samples = JSON.readTree(in);
        }
    }

    private static JsonNode sample(String instance, String path, String key) {
        JsonNode answer = samples.get(instance).get(path);
        return answer.isArray() ? answer.get(Integer.parseInt(key)) : answer.get(key);
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String reason(Function<JsonNode, ?> mapper, String text) {
        return assertThrows(MalformedRecordException.class, () -> mapper.apply(json(text))).reason();
    }

    /** The student record {@code json} is refused for a reason that names {@code field}. */
    private static void assertStudentRefusedFor(String field, String json) {
        String reason = reason(NetypareoMapper::student, json);
        assertTrue(reason.contains(field), reason);
    }

    @Test
    void mapsSites() {
        assertEquals(new Site(10, "SITE1", "S1", false), NetypareoMapper.site(sample("instance_0_keyed", "sites", "10")));
        assertEquals(new Site(10, "CFPPH", "CFPPH", false),
                NetypareoMapper.site(sample("instance_1_array", "sites", "0")));
        assertEquals(new Site(12, "Site fermé", "SF", true),
                NetypareoMapper.site(json("{\"codeSite\":\"12\",\"nomSite\":\" Site fermé \",\"abregeSite\":\"SF\",\"plusUtilise\":true}")));
        assertEquals("codeSite 12: abregeSite missing",
                reason(NetypareoMapper::site, "{\"codeSite\":12,\"nomSite\":\"x\",\"abregeSite\":\"  \"}"));
    }

    @Test
    void mapsPeriodsAndFindsTheCurrentOne() {
        Period old = NetypareoMapper.period(sample("instance_0_keyed", "periodes", "15"));
        Period current = NetypareoMapper.period(sample("instance_0_keyed", "periodes", "16"));
        assertEquals(new Period(16, "2026-2027", LocalDate.of(2026, 9, 26), LocalDate.of(2027, 9, 21)), current);
        assertEquals(Optional.of(current), Periods.current(List.of(old, current), LocalDate.of(2026, 11, 25)));
        assertEquals(Optional.of(current), Periods.current(List.of(old, current), LocalDate.of(2027, 9, 21)));
        assertEquals(Optional.of(old), Periods.current(List.of(old, current), LocalDate.of(2000, 9, 1)));
        assertEquals(Optional.empty(), Periods.current(List.of(old, current), LocalDate.of(2026, 9, 25)));
        Period overlapping = new Period(20, "rentrée décalée", LocalDate.of(2026, 10, 1), LocalDate.of(2027, 6, 30));
        assertEquals(Optional.of(overlapping),
                Periods.current(List.of(current, overlapping, old), LocalDate.of(2026, 11, 25)));
        assertEquals("codePeriode 3: dateFin missing",
                reason(NetypareoMapper::period, "{\"codePeriode\":3,\"dateDeb\":\"01/09/2026\",\"dateFin\":null}"));
        assertTrue(reason(NetypareoMapper::period,
                "{\"codePeriode\":3,\"dateDeb\":\"01/09/2026\",\"dateFin\":\"31/08/2026\"}").contains("before"));
    }

    @Test
    void mapsStudentsFromBothSampleEnvelopes() {
        StudentAccount s = NetypareoMapper.student(sample("instance_0_keyed", "utilisateur/apprenants", "1000003"));
        assertEquals(new StudentAccount(1000003, "apprenant1000003", "D'Arc", "Jérôme",
                "a1000003.0@eleves.example.org", 11, 1, true, null), s);
        StudentAccount s1 = NetypareoMapper.student(sample("instance_1_array", "utilisateur/apprenants", "0"));
        assertEquals(2000003, s1.code());
        assertEquals("Ferré", s1.lastName());
        assertEquals(2, s1.statusCode());
        assertEquals("Nguyễn", NetypareoMapper.student(
                sample("instance_0_keyed", "utilisateur/apprenants", "1000010")).lastName());
    }

    @Test
    void studentDatesBooleansAndOptionalFields() {
        StudentAccount leaver = NetypareoMapper.student(json("""
                {"codeApprenant":7,"login":" APPRENANT7 ","nom":"O'Neil","prenom":"Zoé","email":"",
                 "codeSite":null,"isActif":0,"dateDepart":"31/01/2026"}"""));
        assertEquals("APPRENANT7", leaver.login());
        assertNull(leaver.email());
        assertNull(leaver.siteCode());
        assertNull(leaver.statusCode());
        assertFalse(leaver.active());
        assertEquals(LocalDate.of(2026, 1, 31), leaver.leavingDate());

        StudentAccount noFlag = NetypareoMapper.student(json(
                "{\"codeApprenant\":8,\"login\":\"x\",\"isActif\":true,\"dateDepart\":\"\"}"));
        assertTrue(noFlag.active());
        assertNull(noFlag.leavingDate());
        assertTrue(NetypareoMapper.student(json("{\"codeApprenant\":9,\"login\":\"x\"}")).active(),
                "a missing isActif does not deactivate");

        assertEquals("codeApprenant missing", reason(NetypareoMapper::student, "{\"login\":\"x\"}"));
        assertEquals("codeApprenant missing", reason(NetypareoMapper::student, "{\"codeApprenant\":null,\"login\":\"x\"}"));
        assertEquals("codeApprenant 9: login missing", reason(NetypareoMapper::student, "{\"codeApprenant\":9}"));
        assertEquals("codeApprenant 9: dateDepart '2026-01-31' is not a DD/MM/YYYY date", reason(NetypareoMapper::student,
                "{\"codeApprenant\":9,\"login\":\"x\",\"dateDepart\":\"2026-01-31\"}"));
        assertStudentRefusedFor("dateDepart",
                "{\"codeApprenant\":9,\"login\":\"x\",\"dateDepart\":\"31/02/2026\"}");
        assertStudentRefusedFor("dateDepart",
                "{\"codeApprenant\":9,\"login\":\"x\",\"dateDepart\":20260131}");
        assertEquals("codeApprenant 9: isActif 2 is not 0 or 1", reason(NetypareoMapper::student,
                "{\"codeApprenant\":9,\"login\":\"x\",\"isActif\":2}"));
        assertStudentRefusedFor("isActif",
                "{\"codeApprenant\":9,\"login\":\"x\",\"isActif\":\"oui\"}");
        assertStudentRefusedFor("codeApprenant",
                "{\"codeApprenant\":\"A12\",\"login\":\"x\"}");
        assertStudentRefusedFor("codeApprenant",
                "{\"codeApprenant\":12.5,\"login\":\"x\"}");
        assertStudentRefusedFor("codeSite",
                "{\"codeApprenant\":9,\"login\":\"x\",\"codeSite\":\"dix\"}");
    }

    @Test
    void mapsStaff() {
        StaffAccount p = NetypareoMapper.staff(sample("instance_0_keyed", "utilisateur/personnels", "510001"));
        assertEquals(new StaffAccount(510001, "formateur510001", "Martin", "Théo", "p510001.0@cfa.example.org",
                true, false, List.of(11, 10), false), p);
        StaffAccount admin = NetypareoMapper.staff(json("""
                {"codePersonnel":"5","login":"ADMIN5","isFormateur":0,"isAdministratif":1,"plusUtilise":1,
                 "codesSite":10}"""));
        assertFalse(admin.trainer());
        assertTrue(admin.administrative());
        assertTrue(admin.unused());
        assertEquals(List.of(10), admin.siteCodes());
        assertNull(admin.email());
        assertEquals(List.of(), NetypareoMapper.staff(json("{\"codePersonnel\":5,\"login\":\"a\"}")).siteCodes());
        assertTrue(reason(NetypareoMapper::staff,
                "{\"codePersonnel\":5,\"login\":\"a\",\"codesSite\":[10,\"x\"]}").contains("codesSite"));
        assertEquals("codePersonnel missing", reason(NetypareoMapper::staff, "{\"login\":\"a\"}"));
    }

    @Test
    void mapsTutors() {
        TutorAccount t = NetypareoMapper.tutor(sample("instance_1_array", "utilisateur/tuteurs", "1"));
        assertEquals(new TutorAccount(320001, "interlocuteur320001", "O'Neil", "Sébastien",
                "t320001.1@entreprise.example.org", 9000, List.of(2000171, 2000269)), t);
        assertEquals("codeTuteur missing", reason(NetypareoMapper::tutor, "{\"codeEntreprise\":9000}"));
    }

    @Test
    void mapsGroupsAndMembers() {
        Group g = NetypareoMapper.group(sample("instance_0_keyed", "formation-longue/groupes?codesPeriode=16", "846000"));
        assertEquals(new Group(846000, "BTS MCO 0 – 2026", "G0", 11, 16, 100, LocalDate.of(2026, 9, 26),
                LocalDate.of(2026, 10, 26)), g);
        Group fc = NetypareoMapper.group(sample("instance_1_array", "formation-courte/<DD-MM-YYYY>/<DD-MM-YYYY>/groupes", "0"));
        assertEquals(LocalDate.of(2027, 5, 15), fc.end());
        assertEquals("codeGroupe 1: nomGroupe missing", reason(NetypareoMapper::group, "{\"codeGroupe\":1}"));
        assertTrue(reason(NetypareoMapper::group,
                "{\"codeGroupe\":1,\"nomGroupe\":\"x\",\"dateDebut\":\"1/9/2026\"}").contains("dateDebut"));

        assertEquals(new GroupMember(1000024),
                NetypareoMapper.groupMember(sample("instance_0_keyed", "groupes/846000/apprenants", "1000024")));
        assertEquals("codeApprenant missing",
                reason(NetypareoMapper::groupMember, "{\"nomApprenant\":\"x\",\"informationsCourantes\":{}}"));
        assertThrows(MalformedRecordException.class, () -> NetypareoMapper.groupMember(JSON.getNodeFactory().textNode("x")));
    }

    @Test
    void mapsTheTrainersOfAGroupWithOneOrManyStaffCodes() {
        assertEquals(new GroupTrainer(846000, List.of(510000)), NetypareoMapper.groupTrainer(
                json("{\"codeGroupe\":846000,\"nomGroupe\":\"BTS\",\"codePersonnel\":510000}")));
        assertEquals(new GroupTrainer(846000, List.of(510000, 510001)), NetypareoMapper.groupTrainer(
                json("{\"codeGroupe\":\"846000\",\"codePersonnel\":510000,\"codesPersonnel\":[510000,510001]}")));
        assertEquals("codeGroupe 846000: codePersonnel missing",
                reason(NetypareoMapper::groupTrainer, "{\"codeGroupe\":846000,\"codesPersonnel\":[]}"));
        assertEquals("codeGroupe missing", reason(NetypareoMapper::groupTrainer, "{\"codePersonnel\":510000}"));
    }

    @Test
    void contentHashIsStableAndSeesEveryField() {
        StudentAccount a = new StudentAccount(1, "l", "N", "P", "e@x", 10, 1, true, null);
        assertEquals(a.contentHash(), new StudentAccount(1, "l", "N", "P", "e@x", 10, 1, true, null).contentHash());
        assertEquals(32, a.contentHash().length());
        assertTrue(a.contentHash().matches("[0-9a-f]{32}"));
        assertEquals("1", a.key());
        List<StudentAccount> variants = List.of(
                new StudentAccount(2, "l", "N", "P", "e@x", 10, 1, true, null),
                new StudentAccount(1, "L", "N", "P", "e@x", 10, 1, true, null),
                new StudentAccount(1, "l", "M", "P", "e@x", 10, 1, true, null),
                new StudentAccount(1, "l", "N", "Q", "e@x", 10, 1, true, null),
                new StudentAccount(1, "l", "N", "P", null, 10, 1, true, null),
                new StudentAccount(1, "l", "N", "P", "e@x", 11, 1, true, null),
                new StudentAccount(1, "l", "N", "P", "e@x", 10, 2, true, null),
                new StudentAccount(1, "l", "N", "P", "e@x", 10, 1, false, null),
                new StudentAccount(1, "l", "N", "P", "e@x", 10, 1, true, LocalDate.of(2026, 1, 1)));
        assertEquals(variants.size(), variants.stream().map(StudentAccount::contentHash).distinct().count());
        variants.forEach(v -> assertNotEquals(a.contentHash(), v.contentHash(), v.toString()));
        // field boundaries cannot be shifted: "a|b" + "c" differs from "a" + "b|c"
        assertNotEquals(new Site(1, "a|b", "c", false).contentHash(), new Site(1, "a", "b|c", false).contentHash());
        assertNotEquals(new StudentAccount(1, "l", "", "P", null, 10, 1, true, null).contentHash(),
                new StudentAccount(1, "l", null, "P", null, 10, 1, true, null).contentHash());
        // the order of code lists carries no meaning
        assertEquals(new StaffAccount(5, "l", "N", "P", null, true, false, List.of(10, 11), false).contentHash(),
                new StaffAccount(5, "l", "N", "P", null, true, false, List.of(11, 10), false).contentHash());
        assertNotEquals(new StaffAccount(5, "l", "N", "P", null, true, false, List.of(10), false).contentHash(),
                new StaffAccount(5, "l", "N", "P", null, true, false, List.of(10, 11), false).contentHash());
        // different kinds with equal codes never share a digest
        assertNotEquals(new GroupMember(10).contentHash(), new Site(10, "x", "y", false).contentHash());
    }

    /** The digests the cache holds stay what they were: a changed digest would count every record as changed. */
    @Test
    void contentHashesAreThoseTheCacheAlreadyHolds() {
        assertEquals("033214fdea4ac6f72fa52a954b8e6415",
                new StaffAccount(5, "l", "N", "P", null, true, false, List.of(11, 10), false).contentHash());
        assertEquals("620391086f642c558a0ed67968cd6b54", new Group(846000, "BTS A|B", "BTSA", 10, null, 7,
                LocalDate.of(2026, 9, 1), LocalDate.of(2027, 6, 30)).contentHash());
        assertEquals("f06e004ad871a976ce6559cc0fa7c159", new GroupMember(1000024).contentHash());
        assertEquals("a280f1802afc74804413035228887859",
                new TutorAccount(3, "t", "T", "U", "t@x", null, List.of(2, 1)).contentHash());
        assertEquals("846000", new Group(846000, "x", null, null, null, null, null, null).key());
        assertEquals("1000024", new GroupMember(1000024).key());
    }
}
