-- After a run of a stage that did its work: the stage's dead letters that run did not fail again are the records
-- that now succeed, and leave.
DELETE FROM dead_letter WHERE stage = :#stage AND (run_id IS NULL OR run_id <> :#runId)
