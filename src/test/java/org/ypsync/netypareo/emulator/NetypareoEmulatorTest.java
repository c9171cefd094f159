package org.ypsync.netypareo.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ypsync.netypareo.Group;
import org.ypsync.netypareo.GroupMember;
import org.ypsync.netypareo.NetypareoAccessDeniedException;
import org.ypsync.netypareo.NetypareoRoute;
import org.ypsync.netypareo.NetypareoEndpoint;
import org.ypsync.netypareo.NetypareoInstance;
import org.ypsync.netypareo.NetypareoMapper;
import org.ypsync.netypareo.NetypareoNotFoundException;
import org.ypsync.netypareo.RecordStream;
import org.ypsync.netypareo.RecordStream.Envelope;
import org.ypsync.netypareo.StudentAccount;

class NetypareoEmulatorTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 25);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static NetypareoEmulator emulator;
    private static NetypareoRoute client;
    private static NetypareoInstance i0;
    private static NetypareoInstance i1;
    private static JsonNode samples;

    @BeforeAll
    static void start() throws Exception {
        emulator = NetypareoEmulator.start()
                .addInstance("cfa0", "token-zero", Envelope.KEYED, DataSetGenerator.generate(7, 0, DataSetSize.DEMO, TODAY))
                .addInstance("cfa1", "token-one", Envelope.ARRAY, DataSetGenerator.generate(7, 1, DataSetSize.DEMO, TODAY));
        i0 = emulator.instance(0, "cfa0", "CFA zéro");
        i1 = emulator.instance(1, "cfa1", "CFA un");
        client = NetypareoRoute.start(2000, 5000);
        try (InputStream in = NetypareoEmulatorTest.class.getResourceAsStream("/org/ypsync/netypareo/netypareo-samples.json")) {
            samples = JSON.readTree(in);
        }
    }

    @AfterEach
    void clear() {
        emulator.clearFaults();
    }

    @AfterAll
    static void stop() {
        client.close();
        emulator.close();
    }

    private static JsonNode firstSample(String instance, String sampleKey) {
        JsonNode answer = samples.get(instance).get(sampleKey);
        return answer.isArray() ? answer.get(0) : answer.elements().next();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fields().forEachRemaining(e -> {
            names.add(e.getKey());
            if (e.getValue().isObject()) {
                fieldNames(e.getValue()).forEach(inner -> names.add(e.getKey() + "." + inner));
            }
        });
        return names;
    }

    @Test
    void recordsHaveTheFieldsOfTheSamples() {
        Map<String, String> paths = Map.of(
                "sites", "sites",
                "periodes", "periodes",
                "utilisateur/apprenants", "utilisateur/apprenants",
                "utilisateur/personnels", "utilisateur/personnels",
                "utilisateur/tuteurs", "utilisateur/tuteurs",
                "formation-longue/groupes?codesPeriode=16", "formation-longue/groupes?codesPeriode=16",
                "formation-courte/<DD-MM-YYYY>/<DD-MM-YYYY>/groupes", "formation-courte/25-10-2026/25-11-2027/groupes",
                "groupes/846000/apprenants", "groupes/846000/apprenants");
        paths.forEach((sampleKey, path) -> {
            for (String inst : List.of("instance_0_keyed", "instance_1_array")) {
                JsonNode sample = firstSample(inst, inst.startsWith("instance_0") ? sampleKey
                        : sampleKey.replace("codesPeriode=16", "codesPeriode=17"));
                NetypareoInstance target = inst.startsWith("instance_0") ? i0 : i1;
                List<JsonNode> served = client.readAll(target, inst.startsWith("instance_0") ? path
                        : path.replace("codesPeriode=16", "codesPeriode=17"));
                assertFalse(served.isEmpty(), path);
                for (JsonNode record : served) {
                    assertEquals(fieldNames(sample), fieldNames(record), path);
                    sample.fields().forEachRemaining(f -> {
                        JsonNode v = record.get(f.getKey());
                        if (!v.isNull() && !f.getValue().isNull() && !(v.isTextual() && v.asText().isEmpty())) {
                            assertEquals(f.getValue().getNodeType(), v.getNodeType(), path + " " + f.getKey());
                        }
                    });
                }
            }
        });
    }

    @Test
    void envelopesAreKeyedByCodeOrArrays() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        JsonNode keyed = JSON.readTree(http.send(HttpRequest.newBuilder(
                        URI.create(emulator.baseUrl("cfa0") + "index.php/r/v1/utilisateur/apprenants"))
                .header("X-Auth-Token", "token-zero").build(), HttpResponse.BodyHandlers.ofString()).body());
        assertTrue(keyed.isObject());
        keyed.fields().forEachRemaining(e -> assertEquals(e.getKey(), e.getValue().get("codeApprenant").asText()));
        HttpResponse<String> array = http.send(HttpRequest.newBuilder(
                        URI.create(emulator.baseUrl("cfa1") + "index.php/r/v1/sites"))
                .header("x-auth-token", "token-one").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(JSON.readTree(array.body()).isArray());
        assertTrue(array.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    }

    @Test
    void tokensArePerInstance() {
        NetypareoInstance crossed = new NetypareoInstance(0, "cfa0", null, emulator.baseUrl("cfa0"), "token-one");
        assertEquals(401, assertThrows(NetypareoAccessDeniedException.class,
                () -> client.open(crossed, "sites", RecordStream::hasNext)).status());
    }

    @Test
    void servesOnlyTheContractPaths() {
        for (String path : List.of("utilisateur/formateurs", "apprenants", "sites/10", "groupes/846000",
                "groupes/abc/apprenants", "formation-courte/2026-10-25/2027-11-25/groupes", "formation-courte/groupes",
                "sites/")) {
            assertThrows(NetypareoNotFoundException.class, () -> client.open(i0, path, RecordStream::hasNext), path);
        }
        NetypareoInstance unknown = new NetypareoInstance(0, "nope", null,
                "http://127.0.0.1:" + emulator.port() + "/nope/netypareo/", "x");
        assertThrows(NetypareoNotFoundException.class, () -> client.open(unknown, "sites", RecordStream::hasNext));
        NetypareoInstance noPrefix = new NetypareoInstance(0, "cfa0", null,
                "http://127.0.0.1:" + emulator.port() + "/cfa0/", "token-zero");
        assertThrows(NetypareoNotFoundException.class, () -> client.open(noPrefix, "sites", RecordStream::hasNext));
    }

    @Test
    void diplomaGroupsAreFilteredByPeriodAndSite() {
        EmulatedData d = emulator.data("cfa0");
        int current = d.currentPeriod().orElseThrow().code();
        List<Group> all = client.readAll(i0, "formation-longue/groupes").stream().map(NetypareoMapper::group).toList();
        List<Group> now = client.readAll(i0, NetypareoEndpoint.DIPLOMA_GROUPS.path(Map.of("period", "" + current)))
                .stream().map(NetypareoMapper::group).toList();
        assertEquals(DataSetSize.DEMO.diplomaGroups(), now.size());
        assertTrue(now.stream().allMatch(g -> g.periodCode() == current));
        assertEquals(now.size() + 1, all.size(), "the old period's class is filtered out");
        assertEquals(all.size(), client.readAll(i0, "formation-longue/groupes?codesPeriode=15,16").size());
        assertTrue(client.readAll(i0, "formation-longue/groupes?codesPeriode=16&codesSite=11").stream()
                .map(NetypareoMapper::group).allMatch(g -> g.siteCode() == 11));
        assertEquals(List.of(), client.readAll(i0, "formation-longue/groupes?codesPeriode=99"));
    }

    @Test
    void fcGroupsAreThoseOverlappingTheWindow() {
        EmulatedData d = emulator.data("cfa0");
        LocalDate from = TODAY.minusDays(30);
        LocalDate to = TODAY.plusDays(365);
        Set<Integer> expected = d.fcGroups().stream()
                .filter(g -> !g.start().isAfter(to) && !g.end().isBefore(from)).map(Group::code)
                .collect(Collectors.toSet());
        Set<Integer> served = client.readAll(i0, NetypareoEndpoint.FC_GROUPS.path(NetypareoEndpoint.window(from, to)))
                .stream().map(NetypareoMapper::group).map(Group::code).collect(Collectors.toSet());
        assertEquals(expected, served);
        assertTrue(served.size() < d.fcGroups().size(), "some FC groups lie outside the default window");
        assertFalse(served.isEmpty());
        // an FC group ends: it leaves the window
        int running = served.iterator().next();
        d.endGroup(running, TODAY.minusDays(31));
        try {
            Set<Integer> after = client.readAll(i0, NetypareoEndpoint.FC_GROUPS.path(NetypareoEndpoint.window(from, to)))
                    .stream().map(n -> NetypareoMapper.group(n).code()).collect(Collectors.toSet());
            assertFalse(after.contains(running));
            assertEquals(served.size() - 1, after.size());
        } finally {
            Group g = d.group(running).orElseThrow();
            d.setGroupDates(running, TODAY.minusDays(20), TODAY.plusDays(30));
            assertEquals(g.name(), d.group(running).orElseThrow().name());
        }
    }

    @Test
    void membersOfAGroup() {
        EmulatedData d = emulator.data("cfa1");
        List<JsonNode> rows = client.readAll(i1, "groupes/846000/apprenants");
        assertEquals(d.members(846000), rows.stream().map(n -> NetypareoMapper.groupMember(n).studentCode()).toList());
        for (JsonNode row : rows) {
            StudentAccount s = d.student(row.get("codeApprenant").asInt()).orElseThrow();
            assertEquals(s.lastName(), row.get("nomApprenant").asText());
            assertEquals(846000, row.get("informationsCourantes").get("codeGroupe").asInt());
        }
        assertEquals(List.of(), client.readAll(i1, "groupes/123/apprenants"), "an unknown group has no members");
    }

    @Test
    void mutationsShowInTheNextAnswer() {
        EmulatedData d = DataSetGenerator.generate(3, 0, DataSetSize.DEMO, TODAY);
        emulator.addInstance("mut", "t-mut", Envelope.KEYED, d);
        NetypareoInstance m = emulator.instance(0, "mut", null);
        StudentAccount s = d.students().get(3);
        assertEquals(List.of(846000), d.groupsOf(s.code()));
        d.renameStudent(s.code(), "Lefèvre-D'Arc", "Zoé");
        d.setStudentEmail(s.code(), "zoe@example.org");
        d.moveStudentToSite(s.code(), 11);
        d.deactivateStudent(s.code());
        d.setLeavingDate(s.code(), TODAY.minusDays(1));
        int newCode = d.nextStudentCode();
        d.putStudent(new StudentAccount(newCode, "nouveau", "Nouveau", "Élève", null, 10, 1, true, null));
        int removed = d.students().get(0).code();
        d.removeStudent(removed);
        d.moveStudentToGroup(s.code(), 846002);
        d.renameGroup(846001, "CAP Cuisine renommé");
        d.emptyGroup(846001);

        Map<Integer, StudentAccount> served = client.readAll(m, "utilisateur/apprenants").stream()
                .map(NetypareoMapper::student).collect(Collectors.toMap(StudentAccount::code, x -> x));
        assertEquals(new StudentAccount(s.code(), s.login(), "Lefèvre-D'Arc", "Zoé", "zoe@example.org", 11,
                s.statusCode(), false, TODAY.minusDays(1)), served.get(s.code()));
        assertTrue(served.containsKey(newCode));
        assertFalse(served.containsKey(removed));
        assertTrue(memberCodes(m, 846002).contains(s.code()));
        assertFalse(memberCodes(m, 846000).contains(s.code()));
        assertFalse(memberCodes(m, 846000).contains(removed));
        assertEquals(List.of(), memberCodes(m, 846001));
        assertEquals("CAP Cuisine renommé", client.readAll(m, "formation-longue/groupes?codesPeriode=16").stream()
                .map(NetypareoMapper::group).filter(g -> g.code() == 846001).findFirst().orElseThrow().name());
        d.removeGroup(846001);
        assertEquals(2, client.readAll(m, "formation-longue/groupes?codesPeriode=16").size());
    }

    private static List<Integer> memberCodes(NetypareoInstance i, int group) {
        return client.readAll(i, "groupes/" + group + "/apprenants").stream()
                .map(n -> NetypareoMapper.groupMember(n).studentCode()).toList();
    }

    @Test
    void mutateChurnsAShareOfTheStudents() {
        EmulatedData d = DataSetGenerator.generate(5, 0, DataSetSize.SMALL, TODAY);
        Map<Integer, String> before = d.students().stream()
                .collect(Collectors.toMap(StudentAccount::code, StudentAccount::contentHash));
        Map<Integer, List<Integer>> groupsBefore = before.keySet().stream()
                .collect(Collectors.toMap(c -> c, d::groupsOf));
        EmulatedData.Mutation m = d.mutate(new Random(1), 0.1);
        assertTrue(m.arrivals() > 0 && m.leavers() > 0 && m.removals() > 0 && m.renames() > 0
                && m.emailChanges() > 0 && m.groupMoves() > 0, m.toString());
        Map<Integer, String> after = d.students().stream()
                .collect(Collectors.toMap(StudentAccount::code, StudentAccount::contentHash));
        long added = after.keySet().stream().filter(c -> !before.containsKey(c)).count();
        long gone = before.keySet().stream().filter(c -> !after.containsKey(c)).count();
        long changed = after.keySet().stream().filter(before::containsKey)
                .filter(c -> !after.get(c).equals(before.get(c))).count();
        long moved = after.keySet().stream().filter(before::containsKey)
                .filter(c -> !d.groupsOf(c).equals(groupsBefore.get(c))).count();
        assertEquals(m.arrivals(), added);
        assertEquals(m.removals(), gone);
        assertEquals(m.leavers() + m.renames() + m.emailChanges(), changed);
        assertTrue(moved <= m.groupMoves() && moved > 0);
        assertTrue(m.total() >= 20 && m.total() <= 40, m.toString());
        // deterministic
        EmulatedData again = DataSetGenerator.generate(5, 0, DataSetSize.SMALL, TODAY);
        assertEquals(m, again.mutate(new Random(1), 0.1));
        assertEquals(d.students(), again.students());
    }

    @Test
    void countsRequestsPerPath() {
        emulator.resetCounters();
        client.readAll(i0, "sites");
        client.readAll(i0, "sites");
        client.readAll(i0, "groupes/846000/apprenants");
        client.readAll(i0, "formation-longue/groupes?codesPeriode=16");
        client.readAll(i1, "sites");
        assertEquals(2, emulator.requestCount("cfa0", "sites"));
        assertEquals(1, emulator.requestCount("cfa0", "groupes/"));
        assertEquals(1, emulator.requestCount("cfa1", "sites"));
        assertEquals(4, emulator.requestCount("cfa0", ""));
        assertEquals(Map.of("cfa0 sites", 2, "cfa0 groupes/846000/apprenants", 1, "cfa0 formation-longue/groupes", 1,
                "cfa1 sites", 1), emulator.requestCounts());
        assertTrue(emulator.requestLog().contains("cfa0 formation-longue/groupes?codesPeriode=16"));
    }

    @Test
    void faultsTargetOneInstanceOrAll() {
        emulator.fault("cfa1", "utilisateur/", Fault.status(403));
        assertEquals(403, assertThrows(NetypareoAccessDeniedException.class,
                () -> client.open(i1, "utilisateur/apprenants", RecordStream::hasNext)).status());
        assertFalse(client.readAll(i0, "utilisateur/apprenants").isEmpty());
        assertFalse(client.readAll(i1, "sites").isEmpty());
        emulator.clearFaults();
        emulator.fault(null, "sites", Fault.emptyList().times(1));
        assertEquals(List.of(), client.readAll(i0, "sites"));
        assertFalse(client.readAll(i1, "sites").isEmpty(), "times(1) is shared by all instances");
        assertFalse(client.readAll(i0, "sites").isEmpty());
    }

    @Test
    void streamsALargeInstance() {
        int n = 30_000;
        EmulatedData big = DataSetGenerator.generate(11, 0, DataSetSize.ofStudents(n), TODAY);
        emulator.addInstance("big", "t-big", Envelope.KEYED, big);
        NetypareoInstance b = emulator.instance(0, "big", null);
        int[] count = {0};
        client.open(b, "utilisateur/apprenants", s -> {
            int last = 0;
            for (Iterator<JsonNode> it = s; it.hasNext(); ) {
                int code = NetypareoMapper.student(it.next()).code();
                assertTrue(code > last);
                last = code;
                count[0]++;
            }
        });
        assertEquals(n, count[0]);
        assertEquals(DataSetSize.ofStudents(n).diplomaGroups() + 1, client.readAll(b, "formation-longue/groupes").size());
        assertFalse(client.readAll(b, "groupes/846000/apprenants").stream().map(NetypareoMapper::groupMember)
                .map(GroupMember::studentCode).toList().isEmpty());
    }
}
