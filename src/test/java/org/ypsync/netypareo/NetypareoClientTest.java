package org.ypsync.netypareo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.ypsync.netypareo.RecordStream.Envelope;
import org.ypsync.netypareo.emulator.DataSetGenerator;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.EmulatedData;
import org.ypsync.netypareo.emulator.Fault;
import org.ypsync.netypareo.emulator.NetypareoEmulator;

/** NetYpareo GETs through ypsync's route (direct:netypareo-get, netypareoHttp) over real HTTP against the emulator. */
class NetypareoClientTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 25);
    private static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.sig";
    private static final String TOKEN_B = "token-of-the-array-instance-Zq81";

    private static NetypareoEmulator emulator;
    private static NetypareoInstance keyed;
    private static NetypareoInstance array;
    private static NetypareoRoute client;
    private static final List<Throwable> seen = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        EmulatedData data = DataSetGenerator.generate(42, 0, DataSetSize.DEMO, TODAY);
        emulator = NetypareoEmulator.start()
                .addInstance("demo", TOKEN, Envelope.KEYED, data)
                .addInstance("same", TOKEN_B, Envelope.ARRAY, data);
        keyed = emulator.instance(0, "demo", "Test Ymag");
        array = emulator.instance(1, "same", "Same data, arrays");
        client = NetypareoRoute.start(2000, 500);
    }

    @AfterEach
    void clearFaults() {
        emulator.clearFaults();
    }

    @AfterAll
    static void stop() {
        client.close();
        emulator.close();
        // no exception seen in this class ever shows a token
        assertFalse(seen.isEmpty());
        for (Throwable t : seen) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                assertFalse(String.valueOf(c.getMessage()).contains(TOKEN), c.toString());
                assertFalse(String.valueOf(c.getMessage()).contains(TOKEN_B), c.toString());
                assertFalse(c.toString().contains(TOKEN), c.toString());
            }
        }
    }

    private static <T extends Throwable> T expect(Class<T> type, Executable call) {
        T e = assertThrows(type, call);
        seen.add(e);
        assertEquals(type, e.getClass(), e.toString());
        return e;
    }

    private static <T> List<T> read(NetypareoInstance instance, String path, Function<JsonNode, T> mapper) {
        return client.readAll(instance, path).stream().map(mapper).toList();
    }

    @Test
    void bothEnvelopesGiveTheSameRecords() {
        String fc = NetypareoEndpoint.FC_GROUPS.path(NetypareoEndpoint.window(TODAY.minusDays(30), TODAY.plusDays(365)));
        for (NetypareoEndpoint e : NetypareoEndpoint.values()) {
            String path = e.path(Map.of("period", "16", "group", "846000", "from", "26-10-2026", "to", "25-11-2027"));
            assertEquals(client.readAll(keyed, path), client.readAll(array, path), path);
        }
        List<StudentAccount> students = read(keyed, "utilisateur/apprenants", NetypareoMapper::student);
        assertEquals(emulator.data("demo").students(), students);
        assertEquals(emulator.data("demo").staff(), read(array, "utilisateur/personnels", NetypareoMapper::staff));
        assertEquals(emulator.data("demo").tutors(), read(keyed, "utilisateur/tuteurs", NetypareoMapper::tutor));
        assertEquals(emulator.data("demo").sites(), read(array, "sites", NetypareoMapper::site));
        assertEquals(emulator.data("demo").periods(), read(keyed, "periodes", NetypareoMapper::period));
        assertEquals(3, read(array, "formation-longue/groupes?codesPeriode=16", NetypareoMapper::group).size());
        assertFalse(read(keyed, fc, NetypareoMapper::group).isEmpty());
        assertEquals(emulator.data("demo").members(846000).stream().map(GroupMember::new).toList(),
                read(array, "groupes/846000/apprenants", NetypareoMapper::groupMember));
    }

    @Test
    void streamReportsEnvelopeKeysAndCount() {
        client.open(keyed, "sites", s -> {
            assertEquals(Envelope.KEYED, s.envelope());
            s.next();
            assertEquals("10", s.currentKey());
            s.next();
            assertEquals("11", s.currentKey());
            assertFalse(s.hasNext());
            assertEquals(2, s.count());
        });
        client.open(array, "sites", s -> {
            assertEquals(Envelope.ARRAY, s.envelope());
            s.next();
            assertEquals("0", s.currentKey());
        });
    }

    @Test
    void sendsTheTokenAndAccept() {
        emulator.resetCounters();
        client.readAll(keyed, "sites");
        assertEquals(1, emulator.requestCount("demo", "sites"));
        assertEquals(List.of("demo sites"), emulator.requestLog());
    }

    @Test
    void wrongTokenIs401AccessDenied() {
        NetypareoInstance wrong = new NetypareoInstance(0, "demo", "Test Ymag", keyed.baseUrl(), TOKEN_B);
        NetypareoAccessDeniedException e = expect(NetypareoAccessDeniedException.class,
                () -> client.open(wrong, "sites", RecordStream::hasNext));
        assertEquals(401, e.status());
        assertEquals("demo", e.instanceId());
        assertEquals("sites", e.path());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("'sites'"), e.getMessage());
    }

    @Test
    void forbiddenEndpointIs403NamingTheEndpoint() {
        emulator.fault("demo", "utilisateur/tuteurs", Fault.status(403));
        NetypareoAccessDeniedException e = expect(NetypareoAccessDeniedException.class,
                () -> client.readAll(keyed, "utilisateur/tuteurs"));
        assertEquals("NetYpareo instance 'demo' (Test Ymag): the token may not call 'utilisateur/tuteurs' (HTTP 403); "
                + "tick this endpoint for the prestataire", e.getMessage());
        // the other instance is not affected
        assertFalse(client.readAll(array, "utilisateur/tuteurs").isEmpty());
    }

    @Test
    void unknownPathIs404NamingPathUrlAndKey() {
        NetypareoNotFoundException e = expect(NetypareoNotFoundException.class,
                () -> client.open(keyed, "utilisateur/formateurs", RecordStream::hasNext));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("'utilisateur/formateurs'"), e.getMessage());
        assertTrue(e.getMessage().contains(emulator.baseUrl("demo") + "index.php/r/v1/utilisateur/formateurs"),
                e.getMessage());
        assertTrue(e.getMessage().contains("configurable"), e.getMessage());

        emulator.fault("demo", "utilisateur/tuteurs", Fault.status(404));
        NetypareoNotFoundException t = expect(NetypareoNotFoundException.class,
                () -> client.open(keyed, "utilisateur/tuteurs", RecordStream::hasNext));
        assertTrue(t.getMessage().contains("netypareo.path.tutors"), t.getMessage());
    }

    /** What opening {@code sites} throws while it answers {@code status}, checked to be a {@code type}. */
    private static <T extends NetypareoException> T sitesAnswering(int status, Class<T> type) {
        emulator.clearFaults();
        emulator.fault("demo", "sites", Fault.status(status));
        return expect(type, () -> client.open(keyed, "sites", RecordStream::hasNext));
    }

    @Test
    void serverErrorsAndThrottlingAreUnavailable() {
        NetypareoUnavailableException e = sitesAnswering(500, NetypareoUnavailableException.class);
        assertEquals(500, e.status());
        assertTrue(e.retryable());
        assertEquals(503, sitesAnswering(503, NetypareoUnavailableException.class).status());
        assertEquals(429, sitesAnswering(429, NetypareoUnavailableException.class).status());
    }

    @Test
    void otherStatusesAreGenericErrors() {
        NetypareoException e = sitesAnswering(400, NetypareoException.class);
        assertEquals(400, e.status());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().endsWith("unexpected HTTP 400 for 'sites' at " + emulator.baseUrl("demo")
                + "index.php/r/v1/sites: Erreur 400"), e.getMessage());
    }

    @Test
    void redirectsAreNotFollowed() {
        NetypareoException e = sitesAnswering(302, NetypareoException.class);
        assertEquals(302, e.status());
        assertTrue(e.getMessage().contains("redirected (HTTP 302)"), e.getMessage());
    }

    @Test
    void errorBodyExcerptIsOneLineWithTheTokenMasked() {
        emulator.fault("demo", "sites", Fault.status(500, "text/html",
                "<html><head><style>b {}</style></head><body><h1>Erreur</h1>\n<p>Jeton " + TOKEN
                        + " : base indisponible</p></body></html>"));
        NetypareoUnavailableException e = expect(NetypareoUnavailableException.class, () -> client.open(keyed, "sites", RecordStream::hasNext));
        assertTrue(e.getMessage().endsWith(": Erreur Jeton **** : base indisponible"), e.getMessage());
    }

    @Test
    void faultForTheFirstRequestsOnlyThenNormal() {
        emulator.resetCounters();
        emulator.fault("demo", "periodes", Fault.status(503).times(2));
        expect(NetypareoUnavailableException.class, () -> client.readAll(keyed, "periodes"));
        expect(NetypareoUnavailableException.class, () -> client.readAll(keyed, "periodes"));
        assertEquals(2, client.readAll(keyed, "periodes").size());
        assertEquals(3, emulator.requestCount("demo", "periodes"));
    }

    @Test
    void answerSlowerThanTheReadTimeoutIsUnavailable() {
        // the answer comes after 5 s: without the read timeout (500 ms) the call would succeed
        emulator.fault("demo", "sites", Fault.delay(Duration.ofSeconds(5)));
        NetypareoUnavailableException e = expect(NetypareoUnavailableException.class, () -> client.open(keyed,
                "sites", RecordStream::hasNext));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("500 ms"), e.getMessage());
    }

    @Test
    void stallMidBodyIsUnavailable() {
        // the body resumes after 5 s: without the read timeout the call would succeed
        emulator.fault("demo", "utilisateur/apprenants", Fault.stallMidBody(Duration.ofSeconds(5)));
        NetypareoUnavailableException e = expect(NetypareoUnavailableException.class,
                () -> client.open(keyed, "utilisateur/apprenants", s -> s.forEachRemaining(n -> { })));
        assertTrue(e.getMessage().contains("read timed out"), e.getMessage());
    }

    @Test
    void refusedConnectionIsUnavailable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NetypareoInstance closed = new NetypareoInstance(0, "down", null, "http://127.0.0.1:" + port + "/x/", TOKEN);
        NetypareoUnavailableException e = expect(NetypareoUnavailableException.class, () -> client.open(closed, "sites", RecordStream::hasNext));
        assertEquals("down", e.instanceId());
        assertTrue(client.probe(closed, "sites").isPresent());
    }

    @Test
    void htmlInsteadOfJsonIsMalformedBody() {
        emulator.fault("demo", "sites", Fault.malformedBody());
        NetypareoMalformedBodyException e = expect(NetypareoMalformedBodyException.class,
                () -> client.open(keyed, "sites", RecordStream::hasNext));
        assertTrue(e.getMessage().contains("'sites'"), e.getMessage());
        assertTrue(e.getMessage().contains("not JSON (Content-Type text/html"), e.getMessage());
    }

    @Test
    void brokenJsonShapesAreMalformedBody() {
        for (String body : List.of("", "null", "42", "\"text\"", "[1,2]", "{\"10\": 3}", "[{\"a\":1},]",
                "[{\"a\":1}] trailing", "{\"10\":{\"codeSite\":10},, }", "[{\"a\":1}][]")) {
            emulator.clearFaults();
            emulator.fault("demo", "sites", Fault.rawBody("application/json", body));
            expect(NetypareoMalformedBodyException.class, () -> client.readAll(keyed, "sites"));
        }
    }

    @Test
    void truncatedBodyIsMalformedWhileIterating() {
        emulator.fault("demo", "utilisateur/apprenants", Fault.truncatedBody());
        List<JsonNode> got = new ArrayList<>();
        client.open(keyed, "utilisateur/apprenants", s -> {
            NetypareoMalformedBodyException e = expect(NetypareoMalformedBodyException.class,
                    () -> s.forEachRemaining(got::add));
            assertTrue(e.getMessage().contains("utilisateur/apprenants"), e.getMessage());
            assertThrows(NetypareoMalformedBodyException.class, s::hasNext, "a failed stream stays failed");
        });
        assertFalse(got.isEmpty(), "the valid start was streamed");
        assertTrue(got.size() > 1);
        assertTrue(got.size() < emulator.data("demo").students().size());
        emulator.clearFaults();
        emulator.fault("same", "utilisateur/apprenants", Fault.truncatedBody());
        expect(NetypareoMalformedBodyException.class, () -> client.readAll(array, "utilisateur/apprenants"));
    }

    @Test
    void emptyListIsAnEmptyStream() {
        emulator.fault(null, "utilisateur/tuteurs", Fault.emptyList());
        assertEquals(List.of(), client.readAll(keyed, "utilisateur/tuteurs"));
        assertEquals(List.of(), client.readAll(array, "utilisateur/tuteurs"));
        client.open(keyed, "utilisateur/tuteurs", s -> {
            assertFalse(s.hasNext());
            assertThrows(java.util.NoSuchElementException.class, s::next);
        });
    }

    @Test
    void probeReportsTheProblemOrNothing() {
        assertEquals(Optional.empty(), client.probe(keyed, "sites"));
        emulator.fault("demo", "sites", Fault.status(403));
        Optional<String> problem = client.probe(keyed, "sites");
        assertTrue(problem.orElseThrow().contains("HTTP 403"), problem.toString());
        assertFalse(problem.get().contains(TOKEN));
    }

    @Test
    void closingEarlyLeavesTheClientUsable() {
        client.open(keyed, "utilisateur/apprenants", RecordStream::next);
        assertEquals(emulator.data("demo").students().size(), client.readAll(keyed, "utilisateur/apprenants").size());
    }

    @Test
    void unusableRecordsDoNotStopTheStream() {
        EmulatedData data = emulator.data("demo");
        data.addRawRecord("sites", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("nomSite", "sans code"));
        try {
            int ok = 0;
            List<String> reasons = new ArrayList<>();
            for (JsonNode n : client.readAll(keyed, "sites")) {
                try {
                    NetypareoMapper.site(n);
                    ok++;
                } catch (MalformedRecordException e) {
                    reasons.add(e.reason());
                }
            }
            assertEquals(2, ok);
            assertEquals(List.of("codeSite missing"), reasons);
        } finally {
            data.clearRawRecords();
        }
    }

    @Test
    void exceptionsCarryNoToken() {
        NetypareoException e = expect(NetypareoException.class, () -> {
            throw NetypareoHttp.classify(keyed, "sites", NetypareoHttp.uri(keyed, "sites"), 418);
        });
        assertInstanceOf(NetypareoException.class, e);
        assertFalse(e.getMessage().contains(TOKEN));
        assertEquals("http://127.0.0.1/x", NetypareoHttp.safe("http://user:" + TOKEN + "@127.0.0.1/x"));
    }
}
