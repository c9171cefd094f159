package org.ypsync.reuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ypsync.demo.DemoEnvironment;
import org.ypsync.moodle.emulator.MoodleCohort;
import org.ypsync.netypareo.Site;
import org.ypsync.netypareo.emulator.DataSetSize;
import org.ypsync.ops.StageRun;
import org.ypsync.store.Store;
import org.ypsync.store.TestDatabases;

/**
 * ypsync reused inside another Camel Main application (README "Reusing the routes in a Camel estate"): the host's
 * own main class and properties file load ypsync's YAML routes and configuration class next to a route of the host,
 * and the host's route runs ypsync's cache and site-cohorts stages against the emulators.
 */
class ReuseInCamelEstateTest {
    private static DemoEnvironment env;

    @BeforeAll
    static void world() {
        env = DemoEnvironment.start(21L, DataSetSize.DEMO,
                "jdbc:h2:mem:estate-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @Test
    void hostRouteRunsYpsyncStagesThroughYpsyncRoutes() throws Exception {
        Map<String, Object> overrides = new HashMap<>(env.properties());
        // the test runs the stages by hand; ypsync's nightly timers stay off
        overrides.put("ypsync.schedule.enabled", "false");
        // JMX on (the host file turns it off) to see where ypsync's managed bean lands
        overrides.put("camel.main.jmx-enabled", "true");
        Main host = HostApplication.create(overrides);
        host.start();
        try {
            CamelContext context = host.getCamelContext();
            assertEquals("estate", context.getName(), "the host's context, not ypsync's");
            List<String> routes = new ArrayList<>(List.of("cache", "site-cohorts", "users", "tutors", "groups",
                    "fc-groups", "courses", "estate-nightly", "estate-groups"));
            // the stages' timers and the Moodle batching routes, instances of ypsync's route templates
            routes.addAll(routes.subList(0, 7).stream().map(stage -> stage + "-timer").toList());
            for (String function : List.of("create-users", "update-users", "create-cohorts", "update-cohorts",
                    "add-cohort-members", "delete-cohort-members", "create-categories", "create-courses", "duplicate-course",
                    "update-courses", "enrol-users")) {
                routes.add("moodle-" + function);
            }
            for (String route : routes) {
                assertNotNull(context.getRoute(route), "route " + route + " loaded");
                // the route ids and URIs tests, JMX and README rely on
                String from = context.getRoute(route).getEndpoint().getEndpointUri().replaceAll("\\?.*", "");
                assertEquals(route.endsWith("-timer") ? "quartz://ypsync/" + route.replace("-timer", "")
                        : "direct://" + route, from);
            }

            // ypsync's error handling applies to ypsync's routes only, not to the host's
            assertEquals("ypsync-cache-errors,ypsync-errors", context.getRoute("cache").getConfigurationId());
            assertEquals("ypsync-errors", context.getRoute("site-cohorts").getConfigurationId());
            assertEquals("ypsync-errors", context.getRoute("estate-groups").getConfigurationId());
            // every step that matters has its id, in ypsync's routes and in the host's instance of a ypsync template
            for (String step : List.of("groups-plan-members", "users-create-split", "tutors-plan",
                    "moodle-create-users-aggregate", "moodle-add-cohort-members-write", "cache-fetch-get",
                    "dead-letter-store", "estate-groups-plan", "estate-groups-create")) {
                assertNotNull(context.getProcessor(step), "step " + step);
            }
            assertNull(context.getRoute("estate-nightly").getConfigurationId());
            // ypsync's JMX bean, under the host's context name
            assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(
                    "org.apache.camel:context=estate,type=services,name=YpsyncManagement")));

            ProducerTemplate template = context.createProducerTemplate();
            assertEquals("CFA estate: nightly done", template.requestBody("direct:estate-nightly", (Object) null));

            EstateAudit audit = context.getRegistry().lookupByNameAndType("estateAudit", EstateAudit.class);
            assertEquals(List.of("cache: OK", "site-cohorts: OK"), audit.lines());
            // the host's interceptor saw ypsync's NetYpareo calls, each with its token in a header, none in a URI
            List<String> calls = audit.netypareoCalls();
            assertTrue(calls.stream().anyMatch(c -> c.startsWith("netypareoHttp:") && c.contains("index.php/r/v1/sites")
                    && c.endsWith("[token header]")), calls.toString());
            assertTrue(calls.stream().allMatch(c -> c.endsWith("[token header]")), calls.toString());
            List<String> tokens = List.of(env.properties().get("netypareo." + DemoEnvironment.FIRST + ".token"),
                    env.properties().get("netypareo." + DemoEnvironment.SECOND + ".token"));
            for (String token : tokens) {
                assertTrue(calls.stream().noneMatch(c -> c.contains(token)));
                context.getEndpoints().forEach(e -> assertFalse(e.getEndpointUri().contains(token), e.getEndpointUri()));
                for (ObjectName endpoint : ManagementFactory.getPlatformMBeanServer().queryNames(
                        new ObjectName("org.apache.camel:context=estate,type=endpoints,*"), null)) {
                    assertFalse(endpoint.toString().contains(token), endpoint.toString());
                    Object uri = ManagementFactory.getPlatformMBeanServer().getAttribute(endpoint, "EndpointUri");
                    assertFalse(String.valueOf(uri).contains(token), String.valueOf(uri));
                }
            }
            StageRun cohorts = audit.runs().get(1);

            // what ypsync's routes did: one cohort per site in use, named after it, in the emulated Moodle
            Set<String> possible = new TreeSet<>();
            Map<String, String> names = new HashMap<>();
            for (String instance : List.of(DemoEnvironment.FIRST, DemoEnvironment.SECOND)) {
                String prefix = instance.equals(DemoEnvironment.FIRST) ? "" : "1_";
                for (Site site : env.netypareo().data(instance).sites()) {
                    possible.add(prefix + "SITE_" + site.shortCode());
                    names.put(prefix + "SITE_" + site.shortCode(), site.name());
                }
            }
            List<MoodleCohort> siteCohorts = env.moodle().cohorts().stream()
                    .filter(c -> c.idnumber().contains("SITE_")).toList();
            assertFalse(siteCohorts.isEmpty(), "site cohorts created");
            assertEquals(cohorts.counts().created(), siteCohorts.size(), "created = cohorts in Moodle");
            for (MoodleCohort c : siteCohorts) {
                assertTrue(possible.contains(c.idnumber()), c.idnumber() + " is a site of the emulators");
                assertEquals(names.get(c.idnumber()), c.name());
            }
            assertTrue(siteCohorts.stream().anyMatch(c -> c.idnumber().startsWith("1_")), "both instances synced");

            // and in ypsync's store: the cache and the run history
            Store store = context.getRegistry().lookupByNameAndType("ypsyncStore", Store.class);
            assertEquals("cache=OK site-cohorts=OK",
                    TestDatabases.rows(store, "SELECT stage, outcome FROM stage_run ORDER BY started_at"));

            // the host's own route from ypsync's template group-stage runs ypsync's groups stage; its steps answer to
            // the host's ids (a mock woven after each cohort create sees every diploma-group cohort Moodle now holds)
            AdviceWith.adviceWith(context, "estate-groups",
                    a -> a.weaveById("estate-groups-create").after().to("mock:estate-group-created"));
            MockEndpoint created = context.getEndpoint("mock:estate-group-created", MockEndpoint.class);
            StageRun groups = template.requestBody("direct:estate-groups", null, StageRun.class);
            assertEquals("groups", groups.stage());
            assertTrue(groups.outcome() != StageRun.Outcome.FAILED, groups.summary());
            long groupCohorts = env.moodle().cohorts().stream().filter(c -> c.idnumber().contains("GRP_")).count();
            assertTrue(groupCohorts > 0, "diploma-group cohorts created");
            assertEquals(groupCohorts, created.getReceivedCounter());
        } finally {
            host.stop();
        }
    }

    /** The host's file carries every ypsync key of ypsync's application.properties, as README tells integrators. */
    @Test
    void hostPropertiesCarryEveryYpsyncKey() throws IOException {
        Properties ypsync = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
            ypsync.load(in);
        }
        Properties hostFile = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/host-application.properties")) {
            hostFile.load(in);
        }
        // ypsync's own keys; the camel.* keys (management port, metrics...) are the host's to decide, but for one
        Set<String> missing = ypsync.stringPropertyNames().stream()
                .filter(k -> k.startsWith("ypsync.") || k.startsWith("netypareo.") || k.startsWith("moodle.")
                        || k.startsWith("sync.") || k.equals("camel.component.http.automatic-retries-disabled"))
                .filter(k -> !hostFile.containsKey(k))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), missing, "ypsync keys the host file lacks: copy them from application.properties into"
                + " src/test/resources/host-application.properties, as README tells integrators to");
        assertEquals("org.ypsync.YpsyncConfiguration", hostFile.getProperty("camel.main.configuration-classes"));
        assertTrue(hostFile.getProperty("camel.main.routes-include-pattern").contains("classpath:routes/*.camel.yaml"));
    }
}
