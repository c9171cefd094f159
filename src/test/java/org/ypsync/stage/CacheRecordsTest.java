package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ypsync.netypareo.MalformedRecordException;
import org.ypsync.store.CacheKind;
import org.ypsync.store.StagedRecord;

class CacheRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void studentRowHasTheKeyAndTypedValuesInColumnOrder() throws Exception {
        List<StagedRecord> rows = CacheRecords.map(new CacheRun.Fetch(CacheKind.STUDENTS, "utilisateur/apprenants", null),
                json("""
                        {"codeApprenant": 1000003, "login": "apprenant1000003", "nom": "D'Arc", "prenom": "Jérôme",
                         "email": "a@eleves.example.org", "codeSite": 11, "codeStatut": 1, "isActif": 1,
                         "dateDepart": "30/06/2027"}"""));
        assertEquals(1, rows.size());
        StagedRecord r = rows.get(0);
        assertEquals("1000003", r.key());
        assertEquals(List.of(1000003, "apprenant1000003", "D'Arc", "Jérôme", "a@eleves.example.org", 11, 1, true,
                LocalDate.of(2027, 6, 30)), r.values());
    }

    @Test
    void aTutorGivesItsRowAndOneLinkPerStudent() throws Exception {
        List<StagedRecord> rows = CacheRecords.map(new CacheRun.Fetch(CacheKind.TUTORS, "utilisateur/tuteurs", null),
                json("""
                        {"codeTuteur": 310001, "login": "interlocuteur310001", "nom": "Garçon", "prenom": "Sébastien",
                         "email": "t@entreprise.example.org", "codeEntreprise": 9000, "codesApprenant": [1000129, 1000164]}"""));
        assertEquals(List.of(CacheKind.TUTORS, CacheKind.TUTOR_STUDENTS, CacheKind.TUTOR_STUDENTS),
                rows.stream().map(StagedRecord::kind).toList());
        assertEquals(List.of("310001", "310001:1000129", "310001:1000164"), rows.stream().map(StagedRecord::key).toList());
    }

    @Test
    void aMemberIsKeyedByItsGroup() throws Exception {
        List<StagedRecord> rows = CacheRecords.map(new CacheRun.Fetch(CacheKind.FC_MEMBERS, "groupes/846002/apprenants", 846002),
                json("{\"codeApprenant\": 1000003, \"nomApprenant\": \"D'Arc\"}"));
        assertEquals("846002:1000003", rows.get(0).key());
    }

    @Test
    void aChangeOfContentChangesTheHash() throws Exception {
        CacheRun.Fetch fetch = new CacheRun.Fetch(CacheKind.SITES, "sites", null);
        String a = CacheRecords.map(fetch, json("{\"codeSite\":10,\"nomSite\":\"SITE1\",\"abregeSite\":\"S1\",\"plusUtilise\":0}")).get(0).contentHash();
        String b = CacheRecords.map(fetch, json("{\"codeSite\":10,\"nomSite\":\"SITE 1\",\"abregeSite\":\"S1\",\"plusUtilise\":0}")).get(0).contentHash();
        assertNotEquals(a, b);
    }

    @Test
    void aRecordWithoutItsKeyIsMalformed() {
        assertThrows(MalformedRecordException.class, () -> CacheRecords.map(
                new CacheRun.Fetch(CacheKind.STUDENTS, "utilisateur/apprenants", null), json("{\"login\": \"x\"}")));
    }
}
