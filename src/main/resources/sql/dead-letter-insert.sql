-- A new dead letter, first attempt (the record had no row of an earlier run).
INSERT INTO dead_letter (created_at, stage, instance_index, record_key, reason, error_code, payload, attempts, run_id,
                         last_failed_at)
VALUES (:#failedAt, :#stage, :#instance, :#recordKey, :#reason, :#errorCode, :#payload, 1, :#runId, :#failedAt)
