-- The NetYpareo cache. Same DDL on H2 (embedded default) and PostgreSQL (production).
-- Every cached record carries: its instance, its NetYpareo key, a content hash (to tell "unchanged" without
-- comparing columns), when it was first seen, when its content last changed, and gone_at once NetYpareo stopped
-- listing it (records are never deleted: a leaver must stay visible to the later stages). A present record was last
-- seen at its instance's last successful cache run (cache_status.last_success_at): bumping a per-row timestamp
-- every night would rewrite every unchanged row.

CREATE TABLE np_instance (
    instance_index  INT           NOT NULL PRIMARY KEY,
    instance_id     VARCHAR(100)  NOT NULL,
    name            VARCHAR(255),
    base_url        VARCHAR(1000)
);

CREATE TABLE cache_status (
    instance_index   INT           NOT NULL PRIMARY KEY,
    last_run_at      TIMESTAMP,
    last_success_at  TIMESTAMP,
    outcome          VARCHAR(20),
    message          VARCHAR(4000),
    duration_ms      BIGINT
);

-- Per instance and kind: what the last run read and did; the guard compares with the last accepted count.
CREATE TABLE cache_count (
    instance_index  INT          NOT NULL,
    kind            VARCHAR(40)  NOT NULL,
    read_count      INT          NOT NULL,
    new_count       INT          NOT NULL,
    changed_count   INT          NOT NULL,
    gone_count      INT          NOT NULL,
    accepted_count  INT          NOT NULL,
    PRIMARY KEY (instance_index, kind)
);

CREATE TABLE np_site (
    instance_index  INT           NOT NULL,
    code            INT           NOT NULL,
    name            VARCHAR(255),
    short_code      VARCHAR(100),
    unused          BOOLEAN       NOT NULL,
    content_hash    VARCHAR(64)   NOT NULL,
    first_seen_at   TIMESTAMP     NOT NULL,
    changed_at      TIMESTAMP     NOT NULL,
    gone_at         TIMESTAMP,
    PRIMARY KEY (instance_index, code)
);

CREATE TABLE np_period (
    instance_index  INT           NOT NULL,
    code            INT           NOT NULL,
    name            VARCHAR(255),
    start_date      DATE,
    end_date        DATE,
    content_hash    VARCHAR(64)   NOT NULL,
    first_seen_at   TIMESTAMP     NOT NULL,
    changed_at      TIMESTAMP     NOT NULL,
    gone_at         TIMESTAMP,
    PRIMARY KEY (instance_index, code)
);

CREATE TABLE np_student (
    instance_index  INT           NOT NULL,
    code            INT           NOT NULL,
    login           VARCHAR(255),
    last_name       VARCHAR(255),
    first_name      VARCHAR(255),
    email           VARCHAR(255),
    site_code       INT,
    status_code     INT,
    active          BOOLEAN       NOT NULL,
    leaving_date    DATE,
    content_hash    VARCHAR(64)   NOT NULL,
    first_seen_at   TIMESTAMP     NOT NULL,
    changed_at      TIMESTAMP     NOT NULL,
    gone_at         TIMESTAMP,
    PRIMARY KEY (instance_index, code)
);

CREATE TABLE np_staff (
    instance_index  INT           NOT NULL,
    code            INT           NOT NULL,
    login           VARCHAR(255),
    last_name       VARCHAR(255),
    first_name      VARCHAR(255),
    email           VARCHAR(255),
    trainer         BOOLEAN       NOT NULL,
    administrative  BOOLEAN       NOT NULL,
    site_codes      VARCHAR(1000),           -- comma-separated codeSite list, as NetYpareo's codesSite
    unused          BOOLEAN       NOT NULL,
    content_hash    VARCHAR(64)   NOT NULL,
    first_seen_at   TIMESTAMP     NOT NULL,
    changed_at      TIMESTAMP     NOT NULL,
    gone_at         TIMESTAMP,
    PRIMARY KEY (instance_index, code)
);

CREATE TABLE np_tutor (
    instance_index  INT           NOT NULL,
    code            INT           NOT NULL,
    login           VARCHAR(255),
    last_name       VARCHAR(255),
    first_name      VARCHAR(255),
    email           VARCHAR(255),
    company_code    INT,
    content_hash    VARCHAR(64)   NOT NULL,
    first_seen_at   TIMESTAMP     NOT NULL,
    changed_at      TIMESTAMP     NOT NULL,
    gone_at         TIMESTAMP,
    PRIMARY KEY (instance_index, code)
);

-- Which students a tutor tutors (from the tutor's codesApprenant): a tutor's site cohorts derive from these.
CREATE TABLE np_tutor_student (
    instance_index  INT           NOT NULL,
    tutor_code      INT           NOT NULL,
    student_code    INT           NOT NULL,
    content_hash    VARCHAR(64)   NOT NULL,
    first_seen_at   TIMESTAMP     NOT NULL,
    changed_at      TIMESTAMP     NOT NULL,
    gone_at         TIMESTAMP,
    PRIMARY KEY (instance_index, tutor_code, student_code)
);

-- Diploma groups (family DIPLOMA, formation longue) and continuing-education groups (family FC).
CREATE TABLE np_group (
    instance_index  INT           NOT NULL,
    family          VARCHAR(10)   NOT NULL,
    code            INT           NOT NULL,
    name            VARCHAR(255),
    short_name      VARCHAR(255),
    site_code       INT,
    period_code     INT,
    training_code   INT,
    start_date      DATE,
    end_date        DATE,
    content_hash    VARCHAR(64)   NOT NULL,
    first_seen_at   TIMESTAMP     NOT NULL,
    changed_at      TIMESTAMP     NOT NULL,
    gone_at         TIMESTAMP,
    PRIMARY KEY (instance_index, family, code)
);

CREATE TABLE np_group_member (
    instance_index  INT           NOT NULL,
    family          VARCHAR(10)   NOT NULL,
    group_code      INT           NOT NULL,
    student_code    INT           NOT NULL,
    content_hash    VARCHAR(64)   NOT NULL,
    first_seen_at   TIMESTAMP     NOT NULL,
    changed_at      TIMESTAMP     NOT NULL,
    gone_at         TIMESTAMP,
    PRIMARY KEY (instance_index, family, group_code, student_code)
);

-- One staging table for a cache run: records are streamed in (batched inserts) while NetYpareo answers, and only
-- applied to the tables above once every endpoint of the instance answered and the guard accepted the counts.
-- Values are kept as text columns c1..c10 in the order of the target table's columns (see store.CacheTable).
CREATE TABLE cache_staging (
    run_id          VARCHAR(40)   NOT NULL,
    kind            VARCHAR(40)   NOT NULL,
    record_key      VARCHAR(200)  NOT NULL,
    content_hash    VARCHAR(64)   NOT NULL,
    c1 VARCHAR(1000), c2 VARCHAR(1000), c3 VARCHAR(1000), c4 VARCHAR(1000), c5 VARCHAR(1000),
    c6 VARCHAR(1000), c7 VARCHAR(1000), c8 VARCHAR(1000), c9 VARCHAR(1000), c10 VARCHAR(1000),
    PRIMARY KEY (run_id, kind, record_key)
);

-- What failed: one row per record or endpoint that could not be handled. Secrets are masked before they get here.
CREATE TABLE dead_letter (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    created_at      TIMESTAMP     NOT NULL,
    stage           VARCHAR(40)   NOT NULL,
    instance_index  INT,
    record_key      VARCHAR(200),
    reason          VARCHAR(4000) NOT NULL,
    error_code      VARCHAR(100),
    payload         TEXT,
    attempts        INT           NOT NULL DEFAULT 1
);
CREATE INDEX dead_letter_stage ON dead_letter (stage, created_at);

-- Run history: one row per stage run and instance (instance_index NULL for the stage as a whole).
CREATE TABLE stage_run (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    stage           VARCHAR(40)   NOT NULL,
    instance_index  INT,
    started_at      TIMESTAMP     NOT NULL,
    ended_at        TIMESTAMP,
    outcome         VARCHAR(20),
    dry_run         BOOLEAN       NOT NULL DEFAULT FALSE,
    read_count      INT NOT NULL DEFAULT 0,
    created_count   INT NOT NULL DEFAULT 0,
    updated_count   INT NOT NULL DEFAULT 0,
    unchanged_count INT NOT NULL DEFAULT 0,
    suspended_count INT NOT NULL DEFAULT 0,
    failed_count    INT NOT NULL DEFAULT 0,
    message         VARCHAR(4000)
);
CREATE INDEX stage_run_stage ON stage_run (stage, started_at);
