package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.management.ObjectName;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ypsync.EmulatedWorld;
import org.ypsync.Launcher;
import org.ypsync.TestMain;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.netypareo.emulator.EmulatedData;
import org.ypsync.netypareo.emulator.Fault;
import org.ypsync.ops.StageRun;
import org.ypsync.store.DeadLetterRepository;

/**
 * The real cache routes, over real HTTP, against the NetYpareo emulator: two instances (keyed objects and arrays),
 * failures of every kind, the guard, and the store as it ends up.
 */
@CamelMainTest(mainClass = Launcher.class, useJmx = true, properties = {
        "ypsync.schedule.enabled=false",
        "netypareo.http.read-timeout-ms=1500",
        "netypareo.retry.max-redeliveries=2",
        "netypareo.retry.initial-delay-ms=50",
        "netypareo.retry.max-delay-ms=200"})
class CacheStageRouteTest implements EmulatedWorld.Configured {
    @RegisterExtension
    static final EmulatedWorld WORLD = EmulatedWorld.of(7L, DataSetSize.DEMO, TestMain.h2("cache-route"));

    @BeforeEach
    void fresh() throws Exception {
        CacheTables.freshStart(this);
        // fresh data for both instances, same seeds as at start
        CacheTables.freshDemoData(this);
    }

    private StageRun cache(boolean force) {
        List<StageRun> runs = runner().run("cache", false, force);
        assertEquals(1, runs.size());
        return runs.get(0);
    }

    private int count(String sql) throws Exception {
        return CacheTables.count(store(), sql);
    }

    private List<DeadLetterRepository.DeadLetter> deadLetters() {
        return store().deadLetters().list("cache");
    }

    private EmulatedData data(String id) {
        return env().netypareo().data(id);
    }

    @Test
    void bothEnvelopesFillTheCacheAndTwoInstancesWithTheSameCodesStayApart() throws Exception {
        StageRun run = cache(false);
        assertEquals(StageRun.Outcome.OK, run.outcome(), run.summary());
        int students0 = data(DemoEnvironment.FIRST).students().size();
        int students1 = data(DemoEnvironment.SECOND).students().size();
        assertEquals(students0, count("SELECT COUNT(*) FROM np_student WHERE instance_index = 0"));
        assertEquals(students1, count("SELECT COUNT(*) FROM np_student WHERE instance_index = 1"));
        // Both instances have sites 10 and 11 (and group codes from 846000): kept apart by instance.
        assertEquals(2, count("SELECT COUNT(*) FROM np_site WHERE code IN (10, 11) AND instance_index = 0"));
        assertEquals(2, count("SELECT COUNT(*) FROM np_site WHERE code IN (10, 11) AND instance_index = 1"));
        assertTrue(count("SELECT COUNT(*) FROM np_group_member") > 0);
        assertEquals(2, count("SELECT COUNT(*) FROM cache_status WHERE outcome = 'OK'"));
        assertTrue(deadLetters().isEmpty());
    }

    @Test
    void anUnchangedSecondRunRewritesNoRowAndAGoneRecordIsMarkedGone() throws Exception {
        cache(false);
        String before = snapshot();
        StageRun again = cache(false);
        assertEquals(0, again.counts().created(), again.summary());
        assertEquals(0, again.counts().updated(), again.summary());
        assertEquals(before, snapshot());

        int leaver = data(DemoEnvironment.FIRST).students().get(0).code();
        data(DemoEnvironment.FIRST).removeStudent(leaver);
        StageRun third = cache(false);
        assertEquals(StageRun.Outcome.OK, third.outcome(), third.summary());
        assertEquals(1, count("SELECT COUNT(*) FROM np_student WHERE instance_index = 0 AND code = " + leaver
                + " AND gone_at IS NOT NULL"));
        assertEquals(0, count("SELECT COUNT(*) FROM np_student WHERE instance_index = 1 AND gone_at IS NOT NULL"));
    }

    private String snapshot() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = store().dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT instance_index, code, content_hash, changed_at, gone_at FROM np_student "
                     + "ORDER BY instance_index, code")) {
            while (rs.next()) {
                out.append(rs.getInt(1)).append(rs.getInt(2)).append(rs.getString(3)).append(rs.getTimestamp(4))
                        .append(rs.getTimestamp(5)).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void aRefusedTokenNamesTheEndpointAndOnlyThatInstanceFails() throws Exception {
        env().netypareo().fault(DemoEnvironment.FIRST, "utilisateur/tuteurs", Fault.status(403));
        StageRun run = cache(false);
        assertEquals(StageRun.Outcome.FAILED, run.outcome());
        assertTrue(run.summary().contains("utilisateur/tuteurs"), run.summary());
        assertEquals(0, count("SELECT COUNT(*) FROM np_student WHERE instance_index = 0"), "instance 0 untouched");
        assertTrue(count("SELECT COUNT(*) FROM np_student WHERE instance_index = 1") > 0, "instance 1 went on");
        assertEquals(1, deadLetters().size());
        assertTrue(deadLetters().get(0).reason().contains("403"), deadLetters().get(0).reason());
        assertEquals(1, env().netypareo().requestCount(DemoEnvironment.FIRST, "utilisateur/tuteurs"),
                "403 is not retried");
    }

    @Test
    void unauthorisedAndNotFoundAreNamedToo() {
        env().netypareo().fault(DemoEnvironment.FIRST, "utilisateur/apprenants", Fault.status(401));
        env().netypareo().fault(DemoEnvironment.SECOND, "sites", Fault.status(404));
        StageRun run = cache(false);
        assertEquals(StageRun.Outcome.FAILED, run.outcome());
        String problems = String.join("\n", run.problems());
        assertTrue(problems.contains("utilisateur/apprenants") && problems.contains("401"), problems);
        assertTrue(problems.contains("sites") && problems.contains("404"), problems);
    }

    @Test
    void aServerErrorIsRetriedWithBackoffThenRecovers() throws Exception {
        env().netypareo().fault(DemoEnvironment.FIRST, "utilisateur/apprenants", Fault.status(500).times(2));
        StageRun run = cache(false);
        assertEquals(StageRun.Outcome.OK, run.outcome(), run.summary());
        assertEquals(3, env().netypareo().requestCount(DemoEnvironment.FIRST, "utilisateur/apprenants"));
        assertEquals(data(DemoEnvironment.FIRST).students().size(),
                count("SELECT COUNT(*) FROM np_student WHERE instance_index = 0"));
    }

    @Test
    void aTimeoutThatPersistsFailsTheInstanceAfterTheRetries() throws Exception {
        env().netypareo().fault(DemoEnvironment.SECOND, "utilisateur/personnels", Fault.delay(Duration.ofSeconds(3)));
        StageRun run = cache(false);
        assertEquals(StageRun.Outcome.FAILED, run.outcome());
        assertEquals(3, env().netypareo().requestCount(DemoEnvironment.SECOND, "utilisateur/personnels"),
                "1 try + 2 retries");
        assertEquals(0, count("SELECT COUNT(*) FROM np_staff WHERE instance_index = 1"));
        assertTrue(count("SELECT COUNT(*) FROM np_staff WHERE instance_index = 0") > 0);
    }

    @Test
    void malformedAndTruncatedBodiesLeaveTheCacheUntouched() throws Exception {
        cache(false);
        String before = snapshot();
        data(DemoEnvironment.FIRST).renameStudent(data(DemoEnvironment.FIRST).students().get(0).code(), "Changed", "X");
        env().netypareo().fault(DemoEnvironment.FIRST, "utilisateur/apprenants", Fault.truncatedBody());
        env().netypareo().fault(DemoEnvironment.SECOND, "utilisateur/apprenants", Fault.malformedBody());
        StageRun run = cache(false);
        assertEquals(StageRun.Outcome.FAILED, run.outcome());
        assertEquals(before, snapshot());
        assertEquals(2, deadLetters().size());
    }

    @Test
    void anEmptyListAfterRecordsTripsTheGuardUntilForced() throws Exception {
        cache(false);
        int students = count("SELECT COUNT(*) FROM np_student WHERE instance_index = 0");
        env().netypareo().fault(DemoEnvironment.FIRST, "utilisateur/apprenants", Fault.emptyList());
        StageRun refused = cache(false);
        assertEquals(StageRun.Outcome.FAILED, refused.outcome());
        assertTrue(refused.summary().contains("students fell from " + students + " to 0"), refused.summary());
        assertEquals(0, count("SELECT COUNT(*) FROM np_student WHERE gone_at IS NOT NULL"), "no student marked gone");
        assertEquals(1, count("SELECT COUNT(*) FROM cache_status WHERE instance_index = 0 AND outcome = 'REFUSED'"));

        StageRun forced = cache(true);
        assertEquals(StageRun.Outcome.OK, forced.outcome(), forced.summary());
        assertEquals(students, count("SELECT COUNT(*) FROM np_student WHERE instance_index = 0 AND gone_at IS NOT NULL"));
    }

    @Test
    void aMalformedRecordIsDeadLetteredAndTheOthersAreCached() throws Exception {
        cache(false);
        int students = data(DemoEnvironment.FIRST).students().size();
        data(DemoEnvironment.FIRST).addRawRecord("utilisateur/apprenants",
                new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"login\": \"nocode\"}"));
        StageRun run = cache(false);
        assertEquals(StageRun.Outcome.RECORDS_FAILED, run.outcome(), run.summary());
        assertEquals(1, deadLetters().size());
        assertTrue(deadLetters().get(0).payload().contains("nocode"), deadLetters().get(0).payload());
        assertTrue(deadLetters().get(0).reason().contains("codeApprenant"), deadLetters().get(0).reason());
        assertEquals(students, count("SELECT COUNT(*) FROM np_student WHERE instance_index = 0 AND gone_at IS NULL"));
    }

    @Test
    void theStageCanBeFiredFromJmx() throws Exception {
        var server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("org.apache.camel:context=ypsync,type=services,name=YpsyncManagement");
        String answer = (String) server.invoke(name, "runStage", new Object[] {"cache"}, new String[] {String.class.getName()});
        assertTrue(answer.startsWith("cache: OK"), answer);
        assertTrue(count("SELECT COUNT(*) FROM np_student") > 0);
        @SuppressWarnings("unchecked")
        var last = (java.util.Map<String, String>) server.getAttribute(name, "LastRuns");
        assertTrue(String.valueOf(last.get("cache")).contains("OK"), last.toString());
        String token = env().properties().get("netypareo.demo.token");
        assertFalse(answer.contains(token));
    }
}
