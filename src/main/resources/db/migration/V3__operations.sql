-- Operations: one lock row per stage (a stage never runs twice at once, across nodes), and dead letters that are
-- re-tried record by record (the run that last saw a record fail, how often it failed, when it last failed).

-- Held while a stage runs: inserted (or taken over once expired) atomically, its expiry pushed forward by a
-- heartbeat, deleted at the end. A node that dies leaves a row that expires after ypsync.lock.ttl-seconds.
CREATE TABLE stage_lock (
    stage        VARCHAR(40)   NOT NULL PRIMARY KEY,
    owner        VARCHAR(200)  NOT NULL,
    acquired_at  TIMESTAMP     NOT NULL,
    heartbeat_at TIMESTAMP     NOT NULL,
    expires_at   TIMESTAMP     NOT NULL
);

ALTER TABLE dead_letter ADD COLUMN run_id VARCHAR(40);
ALTER TABLE dead_letter ADD COLUMN last_failed_at TIMESTAMP;
CREATE INDEX dead_letter_record ON dead_letter (stage, record_key);
