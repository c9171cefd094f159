package org.ypsync.ops;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ypsync.store.DeadLetterRepository;
import org.ypsync.store.DeadLetterRepository.DeadLetter;

/**
 * Replays dead letters. The stages are reconciles, so replaying a stage's dead letters is running the stage again:
 * a record that now succeeds is not dead-lettered again and its row is removed at the end of the run; a record
 * that fails again keeps its row, with the new reason and one more attempt.
 */
public final class DeadLetterReplay {

    /** What one stage's replay did. */
    public record Result(String stage, int before, int resolved, int stillFailing, int newFailures, StageRun run,
                         String skipped) {
        public String line() {
            if (skipped != null) {
                return stage + ": " + before + " dead letter(s) not replayed: " + skipped;
            }
            return stage + ": " + before + " dead letter(s) replayed: " + resolved + " resolved, " + stillFailing
                    + " still failing" + (newFailures > 0 ? ", " + newFailures + " new" : "") + " (run "
                    + run.outcome() + (run.outcome() == StageRun.Outcome.FAILED && !run.problems().isEmpty()
                    ? ": " + String.join("; ", run.problems()) : "") + ")";
        }
    }

    private final StageRunner runner;
    private final DeadLetterRepository deadLetters;

    public DeadLetterReplay(StageRunner runner, DeadLetterRepository deadLetters) {
        this.runner = runner;
        this.deadLetters = deadLetters;
    }

    /** The stages to replay: {@code stage}, or every stage that has dead letters, in the stages' order. */
    List<String> stagesToReplay(String stage) {
        if (stage != null && !stage.isBlank() && !stage.equals("all")) {
            return List.of(stage);
        }
        Set<String> owning = deadLetters.countsByStage().keySet();
        List<String> out = new ArrayList<>(StageRunner.STAGES.stream().filter(owning::contains).toList());
        owning.stream().filter(s -> !StageRunner.STAGES.contains(s)).sorted().forEach(out::add);
        return out;
    }

    /**
     * Re-runs the stage (or, for null/blank/"all", every stage with dead letters) and says per stage how many of
     * its dead letters were resolved.
     */
    public List<Result> replay(String stage) {
        List<Result> out = new ArrayList<>();
        for (String s : stagesToReplay(stage)) {
            List<DeadLetter> before = deadLetters.list(s);
            if (!runner.available().contains(s)) {
                out.add(new Result(s, before.size(), 0, before.size(), 0, null, "no such stage"));
                continue;
            }
            StageRun run = runner.run(s, false, false).get(0);
            Set<Long> beforeIds = new HashSet<>();
            before.forEach(d -> beforeIds.add(d.id()));
            int still = 0;
            int fresh = 0;
            for (DeadLetter d : deadLetters.list(s)) {
                if (beforeIds.contains(d.id())) {
                    still++;
                } else {
                    fresh++;
                }
            }
            out.add(new Result(s, before.size(), before.size() - still, still, fresh, run, null));
        }
        return out;
    }

    public static String describe(List<Result> results) {
        if (results.isEmpty()) {
            return "no dead letters to replay";
        }
        return Secrets.mask(String.join("\n", results.stream().map(Result::line).toList()));
    }
}
