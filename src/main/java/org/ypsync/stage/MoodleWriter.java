package org.ypsync.stage;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ypsync.moodle.BatchResult;
import org.ypsync.moodle.MoodleClient;
import org.ypsync.moodle.MoodleFatalException;
import org.ypsync.ops.DeadLetters;
import org.ypsync.ops.Secrets;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRuns;

/**
 * The end of the Moodle batch routes (routes/moodle.camel.yaml): one batch, one Moodle function, the outcomes
 * handed back to the stage that planned them. A fatal Moodle error (bad token, missing function) stops every
 * later write of the run: the client refuses further calls, so Moodle is never hammered. Any other error of a batch
 * (it runs on the batch executor's thread, out of reach of the stage route's error handling) fails the stage run
 * with the reason and stops the run's later writes too.
 */
public final class MoodleWriter {
    private static final Logger LOG = LoggerFactory.getLogger(MoodleWriter.class);

    private volatile MoodleClient client;

    public MoodleWriter(MoodleClient client) {
        this.client = client;
    }

    public void createUsers(Exchange exchange) {
        write(exchange, MoodleClient.CREATE_USERS, (c, b) -> c.createUsers(b));
    }

    public void updateUsers(Exchange exchange) {
        write(exchange, MoodleClient.UPDATE_USERS, (c, b) -> c.updateUsers(b));
    }

    public void createCohorts(Exchange exchange) {
        write(exchange, MoodleClient.CREATE_COHORTS, (c, b) -> c.createCohorts(b));
    }

    public void updateCohorts(Exchange exchange) {
        write(exchange, MoodleClient.UPDATE_COHORTS, (c, b) -> c.updateCohorts(b));
    }

    public void addCohortMembers(Exchange exchange) {
        write(exchange, MoodleClient.ADD_COHORT_MEMBERS, (c, b) -> c.addCohortMembers(b));
    }

    public void deleteCohortMembers(Exchange exchange) {
        write(exchange, MoodleClient.DELETE_COHORT_MEMBERS, (c, b) -> c.deleteCohortMembers(b));
    }

    public void createCategories(Exchange exchange) {
        write(exchange, MoodleClient.CREATE_CATEGORIES, (c, b) -> c.createCategories(b));
    }

    public void createCourses(Exchange exchange) {
        write(exchange, MoodleClient.CREATE_COURSES, (c, b) -> c.createCourses(b));
    }

    public void updateCourses(Exchange exchange) {
        write(exchange, MoodleClient.UPDATE_COURSES, (c, b) -> c.updateCourses(b));
    }

    public void duplicateCourses(Exchange exchange) {
        write(exchange, MoodleClient.DUPLICATE_COURSE, (c, b) -> c.duplicateCourses(b));
    }

    public void enrolUsers(Exchange exchange) {
        write(exchange, MoodleClient.ENROL_USERS, (c, b) -> c.enrolUsers(b));
    }

    @SuppressWarnings("unchecked")
    private void write(Exchange exchange, String function,
                       BiFunction<MoodleClient, List<Map<String, Object>>, BatchResult> call) {
        List<Map<String, Object>> batch = exchange.getIn().getBody(List.class);
        MoodleWrites writes = exchange.getProperty(MoodleWrites.PROPERTY, MoodleWrites.class);
        if (batch == null || batch.isEmpty() || writes == null) {
            return;
        }
        if (writes.isStopped()) {
            writes.handle(batch, notSent(batch, writes.stoppedReason()));
            return;
        }
        // stopped by a fatal error of an earlier run: this run tries once more (the administrator may have fixed it)
        client = renewed(client);
        StageRun run = exchange.getProperty(StageRuns.RUN, StageRun.class);
        try {
            writes.handle(batch, call.apply(client, batch));
        } catch (MoodleFatalException e) {
            writes.stop(e.getMessage());
            if (run != null) {
                run.fail("Moodle refused the run (" + e.errorcode() + "): " + e.getMessage());
            }
            writes.handle(batch, notSent(batch, e.getMessage()));
        } catch (RuntimeException e) {
            // Anything else on the batch executor's thread (the store failing while it records the links of the
            // users Moodle has just created): no error handler there reaches the stage run, so the run fails here
            // with the reason and writes no more. What Moodle already did is adopted by the next run (the user
            // stages match unlinked accounts by username or idnumber). The outcomes not handed back stay unhandled.
            String problem = "writing a Moodle batch (" + function + ", " + batch.size() + " records) failed: "
                    + DeadLetters.describe(e);
            LOG.error("{}: {}", run == null ? "?" : run.stage(), Secrets.mask(problem), e);
            writes.abort(problem);
            if (run != null) {
                run.fail(problem);
            }
        }
    }

    /**
     * The client itself when it works, a new one with the same settings when a fatal error stopped it. A stopped
     * client refuses every call for good; a run that starts after the fault (a token re-enabled, a function added
     * to the service) must be able to reach Moodle without restarting ypsync.
     */
    static MoodleClient renewed(MoodleClient client) {
        return client.isStopped() ? client.renewed() : client;
    }

    private static BatchResult notSent(List<Map<String, Object>> batch, String reason) {
        List<BatchResult.Outcome> outcomes = new java.util.ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            outcomes.add(BatchResult.Outcome.failure(i, batch.get(i), "notsent",
                    "not sent: the run's writes stopped earlier (" + reason + ")", BatchResult.Origin.TRANSIENT));
        }
        return new BatchResult(outcomes, 0);
    }
}
