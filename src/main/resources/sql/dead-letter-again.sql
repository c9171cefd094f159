-- A record that failed in an earlier run keeps its row: new reason and payload, this run's id, attempts + 1.
-- "The same record" is the same stage, instance and record key (either may be NULL); a row this run already wrote
-- is not taken again (two failures with one key in one run are two rows). A dead letter outside any run (no run
-- id) takes no row. Named parameters from the body, a map built by DeadLetters; the same SQL on H2 and PostgreSQL
-- (the casts give PostgreSQL the type of a parameter that may be NULL).
UPDATE dead_letter
   SET reason = :#reason, error_code = :#errorCode, payload = :#payload, run_id = :#runId,
       last_failed_at = :#failedAt, attempts = attempts + 1
 WHERE id = (SELECT MIN(x.id) FROM dead_letter x
              WHERE x.stage = :#stage
                AND x.instance_index IS NOT DISTINCT FROM CAST(:#instance AS INTEGER)
                AND x.record_key IS NOT DISTINCT FROM CAST(:#recordKey AS VARCHAR(200))
                AND (x.run_id IS NULL OR x.run_id <> CAST(:#runId AS VARCHAR(40)))
                AND CAST(:#runId AS VARCHAR(40)) IS NOT NULL)
