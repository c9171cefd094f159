package org.ypsync.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.ypsync.moodle.MoodleClient;
import org.ypsync.moodle.MoodlePreflight;
import org.ypsync.moodle.PreflightReport;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.ypsync.netypareo.NetypareoCalls;
import org.ypsync.netypareo.NetypareoEndpoint;
import org.ypsync.netypareo.NetypareoException;
import org.ypsync.netypareo.NetypareoInstance;
import org.ypsync.netypareo.NetypareoMapper;
import org.ypsync.netypareo.Period;
import org.ypsync.netypareo.Periods;

/**
 * {@code java -jar ypsync.jar check}: the Moodle pre-flight (site, release, every function the stages need in the
 * token's service) and a reachability check of every NetYpareo instance and endpoint. Prints what is fine and what
 * is missing, never a token; the exit code is 0 only when everything is fine.
 */
public final class Check {
    private final Settings settings;
    private final MoodleClient moodle;
    private final CamelContext context;
    private final FieldKeepingCheck fields;
    private volatile ProducerTemplate template;

    /** NetYpareo is reached through the same route as the cache stage ({@code direct:netypareo-read}). */
    public Check(Settings settings, MoodleClient moodle, CamelContext context, FieldKeepingCheck fields) {
        this.settings = settings;
        this.moodle = moodle;
        this.context = context;
        this.fields = fields;
    }

    /**
     * The Moodle functions the configured stages call, for check and the health check: the courses stage's only
     * when it is on, and the copy only with a template course.
     */
    public static java.util.Set<String> neededFunctions(Settings settings) {
        java.util.Set<String> needed = new java.util.TreeSet<>(MoodleClient.FUNCTIONS);
        if (settings.optional("sync.courses.enabled").map(Boolean::parseBoolean).orElse(false)) {
            needed.addAll(MoodleClient.COURSE_FUNCTIONS);
            settings.optional("sync.courses.template-shortname").ifPresent(t -> needed.add(MoodleClient.DUPLICATE_COURSE));
        }
        return java.util.Collections.unmodifiableSet(needed);
    }

    public int run(PrintStream out) {
        int problems = 0;
        java.util.Set<String> needed = neededFunctions(settings);
        PreflightReport report = MoodlePreflight.check(moodle, needed);
        if (report.errorcode() != null) {
            out.println("[FAIL] Moodle " + settings.required("moodle.url") + ": " + report.errorcode() + " - "
                    + Secrets.mask(report.message()));
            problems++;
        } else {
            out.println("[ OK ] Moodle " + settings.required("moodle.url") + ": site '" + report.siteName()
                    + "', release " + report.release() + ", web-service user " + report.username());
            if (report.missingFunctions().isEmpty()) {
                out.println("[ OK ] Moodle: the token's service has the " + needed.size()
                        + " functions ypsync calls");
            } else {
                out.println("[FAIL] Moodle: add these functions to the token's service: "
                        + String.join(", ", new TreeSet<>(report.missingFunctions())));
                problems++;
            }
            fields.report(out);
        }
        for (NetypareoInstance instance : settings.instances()) {
            for (Map.Entry<String, String> endpoint : endpoints(instance).entrySet()) {
                Optional<String> problem = probe(instance, endpoint.getValue());
                if (problem.isEmpty()) {
                    out.println("[ OK ] NetYpareo " + instance.label() + ": " + endpoint.getValue());
                } else {
                    out.println("[FAIL] " + Secrets.mask(problem.get()));
                    problems++;
                }
            }
        }
        out.println(problems == 0 ? "check: everything is fine" : "check: " + problems + " problem(s)");
        return problems == 0 ? 0 : 2;
    }

    /** The paths to probe; the templated ones filled from the instance's own answers where possible. */
    private Map<String, String> endpoints(NetypareoInstance instance) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : List.of("sites", "periods", "students", "staff", "tutors")) {
            out.put(name, settings.path(name));
        }
        String period = currentPeriod(instance).map(p -> String.valueOf(p.code())).orElse("0");
        String groups = NetypareoEndpoint.resolve(settings.path("diploma-groups"), Map.of("period", period));
        out.put("diploma-groups", groups);
        LocalDate today = LocalDate.now();
        out.put("fc-groups", NetypareoEndpoint.resolve(settings.path("fc-groups"), NetypareoEndpoint.window(
                today.minusDays(settings.integer("sync.fc.window-past-days")),
                today.plusDays(settings.integer("sync.fc.window-future-days")))));
        firstGroup(instance, groups).ifPresent(code -> out.put("group-members",
                NetypareoEndpoint.resolve(settings.path("group-members"), Map.of("group", code))));
        return out;
    }

    private Optional<Period> currentPeriod(NetypareoInstance instance) {
        try {
            List<Period> periods = new ArrayList<>();
            for (JsonNode p : read(instance, settings.path("periods"), null)) {
                periods.add(NetypareoMapper.period(p));
            }
            return Periods.current(periods, LocalDate.now());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<String> firstGroup(NetypareoInstance instance, String groupsPath) {
        try {
            return read(instance, groupsPath, 1).stream().findFirst()
                    .map(g -> g.path("codeGroupe").asText());
        } catch (NetypareoException e) {
            return Optional.empty();
        }
    }

    /** Empty when the path answers with a usable body, otherwise the problem as one line (never the token). */
    private Optional<String> probe(NetypareoInstance instance, String path) {
        try {
            read(instance, path, 1);
            return Optional.empty();
        } catch (NetypareoException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** At most {@code limit} records (null: all) of a path, through {@code direct:netypareo-read}. */
    @SuppressWarnings("unchecked")
    private List<JsonNode> read(NetypareoInstance instance, String path, Integer limit) {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        Exchange done = template.send("direct:netypareo-read", e -> {
            e.setProperty(NetypareoCalls.INSTANCE, instance);
            e.setProperty(NetypareoCalls.PATH, path);
            e.setProperty(NetypareoCalls.LIMIT, limit);
        });
        if (done.getException() instanceof RuntimeException e) {
            throw e;
        }
        if (done.getException() != null) {
            throw new IllegalStateException(done.getException());
        }
        return done.getMessage().getBody(List.class);
    }
}
