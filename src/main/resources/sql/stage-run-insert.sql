-- The run history: one row per run of a stage, written when the run ends (routes/operations.camel.yaml).
-- Named parameters (:#name) come from the message body, a map built by StageRuns; the same SQL on H2 and PostgreSQL.
INSERT INTO stage_run (stage, started_at, ended_at, outcome, dry_run, read_count, created_count, updated_count,
                       unchanged_count, suspended_count, failed_count, message)
VALUES (:#stage, :#startedAt, :#endedAt, :#outcome, :#dryRun, :#read, :#created, :#updated,
        :#unchanged, :#suspended, :#failed, :#message)
