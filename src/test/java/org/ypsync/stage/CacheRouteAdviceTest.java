package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.ypsync.TestMain;
import org.ypsync.netypareo.NetypareoEndpoint;
import org.ypsync.netypareo.NetypareoHttp;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRunner;
import org.ypsync.store.Store;

/**
 * The real cache routes with their NetYpareo endpoint (id netypareo-http in route netypareo-get) replaced by a mock
 * that answers keyed envelopes: what reaches the cache is what the mock answered, and every GET carried its token in
 * the X-Auth-Token header and in no URI.
 */
class CacheRouteAdviceTest {
    private static final String TOKEN = "advice-test-token-4f1c9a";

    @Test
    void aMockedNetypareoFillsTheCache() throws Exception {
        Main main = TestMain.start(Map.of("netypareo.instances", "mock", "netypareo.mock.name", "Mocked",
                "netypareo.mock.base-url", "http://netypareo.invalid/np/", "netypareo.mock.token", TOKEN));
        try {
            CamelContext context = main.getCamelContext();
            AdviceWith.adviceWith(context, "netypareo-get",
                    a -> a.weaveById("netypareo-http").replace().to("mock:netypareo"));
            MockEndpoint netypareo = context.getEndpoint("mock:netypareo", MockEndpoint.class);
            netypareo.whenAnyExchangeReceived(this::answer);

            StageRun run = context.getRegistry().lookupByNameAndType("stageRunner", StageRunner.class)
                    .run("cache", false, false).get(0);
            assertEquals(StageRun.Outcome.OK, run.outcome(), run.summary());

            // every call side by side (netypareo.fetch-concurrency at once, so in any order), each once what it
            // needs has answered: the diploma groups of the current period after the periods, the members of the
            // one diploma group after its group list
            List<String> paths = netypareo.getExchanges().stream()
                    .map(e -> e.getProperty("netypareoPath", String.class)).toList();
            assertEquals(Set.of("sites", "periodes", "utilisateur/apprenants", "utilisateur/personnels",
                    "utilisateur/tuteurs", "formation-longue/groupes?codesPeriode=16", "groupes/846000/apprenants",
                    "formation-courte/" + fcFrom() + "/" + fcTo() + "/groupes"), Set.copyOf(paths), paths.toString());
            assertEquals(8, paths.size(), "each endpoint once: " + paths);
            assertTrue(paths.indexOf("periodes") < paths.indexOf("formation-longue/groupes?codesPeriode=16"));
            assertTrue(paths.indexOf("formation-longue/groupes?codesPeriode=16")
                    < paths.indexOf("groupes/846000/apprenants"));
            for (Exchange e : netypareo.getExchanges()) {
                assertEquals(TOKEN, e.getIn().getHeader(NetypareoHttp.TOKEN_HEADER));
                assertEquals("application/json", e.getIn().getHeader("Accept"));
                assertFalse(e.getFromEndpoint().getEndpointUri().contains(TOKEN));
            }
            context.getEndpoints().forEach(e -> assertFalse(e.getEndpointUri().contains(TOKEN), e.getEndpointUri()));

            Store store = context.getRegistry().lookupByNameAndType("ypsyncStore", Store.class);
            assertEquals("10|Site de Lyon|LYO 11|Site de Nice|NIC", rows(store,
                    "SELECT code, name, short_code FROM np_site WHERE instance_index = 0 ORDER BY code"));
            assertEquals("846000|1001 846000|1002", rows(store,
                    "SELECT group_code, student_code FROM np_group_member ORDER BY student_code"));
        } finally {
            main.stop();
        }
    }

    private static String fcFrom() {
        return NetypareoEndpoint.pathDate(java.time.LocalDate.now().minusDays(30));
    }

    private static String fcTo() {
        return NetypareoEndpoint.pathDate(java.time.LocalDate.now().plusDays(365));
    }

    /** A keyed envelope per path, as a NetYpareo instance answers; empty for what this test does not need. */
    private void answer(Exchange exchange) {
        String path = exchange.getProperty("netypareoPath", String.class);
        String body;
        if (path.equals("sites")) {
            body = "{\"10\": {\"codeSite\": 10, \"nomSite\": \"Site de Lyon\", \"abregeSite\": \"LYO\"},"
                    + " \"11\": {\"codeSite\": 11, \"nomSite\": \"Site de Nice\", \"abregeSite\": \"NIC\"}}";
        } else if (path.equals("periodes")) {
            body = "{\"16\": {\"codePeriode\": 16, \"nomPeriode\": \"2026-2027\", \"dateDeb\": \"01/08/2000\","
                    + " \"dateFin\": \"31/07/2999\"}}";
        } else if (path.startsWith("formation-longue/groupes")) {
            body = "{\"846000\": {\"codeGroupe\": 846000, \"nomGroupe\": \"BTS MCO 1\", \"abregeGroupe\": \"MCO1\","
                    + " \"codeSite\": 10, \"codePeriode\": 16}}";
        } else if (path.equals("groupes/846000/apprenants")) {
            body = "{\"1001\": {\"codeApprenant\": 1001}, \"1002\": {\"codeApprenant\": 1002}}";
        } else {
            body = "{}";
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String rows(Store store, String sql) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = store.dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                out.append(out.isEmpty() ? "" : " ");
                for (int i = 1; i <= columns; i++) {
                    out.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
            }
        }
        return out.toString();
    }
}
