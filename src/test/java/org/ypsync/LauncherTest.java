package org.ypsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.netypareo.emulator.DataSetSize;

/**
 * The command line as an operator uses it: instances, Moodle and store given as -D properties (system
 * properties), pointing at servers on loopback.
 */
class LauncherTest {
    private final List<String> set = new ArrayList<>();

    private void configure(Map<String, String> properties) {
        properties.forEach((k, v) -> {
            System.setProperty(k, v);
            set.add(k);
        });
    }

    @AfterEach
    void clear() {
        set.forEach(System::clearProperty);
    }

    private static String freshStore() {
        return "jdbc:h2:mem:launcher-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    /** The demo servers on loopback, and the command line's properties pointing at them and at {@code store}. */
    private DemoEnvironment demo(String store) {
        DemoEnvironment env = DemoEnvironment.start(3L, DataSetSize.DEMO, store);
        configure(env.properties());
        return env;
    }

    private static String run(int[] code, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        code[0] = Launcher.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runCacheFillsTheStoreAndExitsZero() throws Exception {
        String store = freshStore();
        try (DemoEnvironment env = demo(store)) {
            int[] code = new int[1];
            run(code, "run", "cache");
            assertEquals(0, code[0]);
            try (var c = DriverManager.getConnection(store, "", "");
                 ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM np_student")) {
                rs.next();
                int expected = env.netypareo().data(DemoEnvironment.FIRST).students().size()
                        + env.netypareo().data(DemoEnvironment.SECOND).students().size();
                assertEquals(expected, rs.getInt(1));
            }
        }
    }

    @Test
    void aFailingStageExitsTwoAndRecordFailuresExitOne() throws Exception {
        try (DemoEnvironment env = demo(freshStore())) {
            int[] code = new int[1];
            run(code, "run", "all");
            assertEquals(1, code[0], "the demo data has shared and missing e-mails: some records are dead-lettered");
            configure(Map.of("netypareo.demo.token", "0123456789abcdef0123456789abcdef"));
            String out = run(code, "run", "cache");
            assertEquals(2, code[0], out);
            assertFalse(out.contains("0123456789abcdef0123456789abcdef"), out);
        }
    }

    @Test
    void recheckFieldsTriesTheMissingProfileFieldAgainAndFillsItOnceCreated() throws Exception {
        try (DemoEnvironment env = demo(freshStore())) {
            int[] code = new int[1];
            run(code, "run", "all");
            env.moodle().profileField("netypareo_usertype");
            env.moodle().resetCounters();
            run(code, "run", "users");
            assertEquals(0, env.moodle().totalWriteCalls(), "not tried again before sync.users.field-recheck-hours");
            String out = run(code, "run", "users", "--recheck-fields");
            assertEquals(1, code[0], "the demo data's refused people, as before: " + out);
            assertEquals(2, env.moodle().calls("core_user_update_users"), "one try, then everybody in one batch");
            assertTrue(env.moodle().users().stream().filter(u -> u.idnumber().matches("1?_?[0-9]+") && !u.deleted()
                    && u.id() > 2 && u.username().startsWith("apprenant"))
                    .allMatch(u -> "student".equals(u.customfields().get("netypareo_usertype"))));
        }
    }

    @Test
    void anUnknownStageOrCommandExitsTwoWithTheUsage() throws Exception {
        int[] code = new int[1];
        String out = run(code, "frobnicate");
        assertEquals(2, code[0]);
        assertTrue(out.contains("usage:"), out);
    }

    @Test
    void checkNamesTheSiteAndReleaseAndFailsOnABadTokenWithoutPrintingIt() throws Exception {
        try (DemoEnvironment env = demo(freshStore())) {
            int[] code = new int[1];
            String ok = run(code, "check");
            assertEquals(0, code[0], ok);
            assertTrue(ok.contains("Moodle (ypsync demo)") && ok.contains("4.4.3"), ok);
            assertTrue(ok.contains("utilisateur/apprenants") && ok.contains("groupes/"), ok);

            String token = env.moodle().token();
            env.moodle().revokeToken();
            env.netypareo().fault(DemoEnvironment.SECOND, "utilisateur/tuteurs", org.ypsync.netypareo.emulator.Fault.status(403));
            String bad = run(code, "check");
            assertEquals(2, code[0], bad);
            assertTrue(bad.contains("invalidtoken"), bad);
            assertTrue(bad.contains("utilisateur/tuteurs") && bad.contains("403"), bad);
            assertFalse(bad.contains(token), bad);
            assertFalse(bad.contains(env.properties().get("netypareo.cfa34.token")), bad);
        }
    }
}
