-- What ypsync knows of Moodle: which Moodle object each NetYpareo key became, and what ypsync last wrote there.
-- Comparing the desired state with "written" tells what changed without reading Moodle back on every run.

-- A NetYpareo person (instance, kind student/teacher/tutor, NetYpareo id) -> a Moodle user.
CREATE TABLE moodle_user_link (
    instance_index   INT           NOT NULL,
    kind             VARCHAR(10)   NOT NULL,
    netypareo_id     VARCHAR(40)   NOT NULL,
    moodle_id        BIGINT        NOT NULL,
    username         VARCHAR(100)  NOT NULL,
    written          TEXT          NOT NULL,      -- JSON object: the Moodle fields as ypsync last wrote them
    suspended_by_us  BOOLEAN       NOT NULL,
    updated_at       TIMESTAMP     NOT NULL,
    PRIMARY KEY (instance_index, kind, netypareo_id)
);
CREATE INDEX moodle_user_link_moodle_id ON moodle_user_link (moodle_id);

-- A cohort ypsync manages (site, diploma group or FC group cohort), by its idnumber.
CREATE TABLE moodle_cohort_link (
    idnumber    VARCHAR(100)  NOT NULL PRIMARY KEY,
    family      VARCHAR(20)   NOT NULL,
    moodle_id   BIGINT        NOT NULL,
    written     TEXT          NOT NULL,
    updated_at  TIMESTAMP     NOT NULL
);

-- The members ypsync put in its cohorts (hand-added members are not ypsync's to remove).
CREATE TABLE moodle_cohort_member (
    cohort_idnumber  VARCHAR(100)  NOT NULL,
    instance_index   INT           NOT NULL,
    kind             VARCHAR(10)   NOT NULL,
    netypareo_id     VARCHAR(40)   NOT NULL,
    moodle_user_id   BIGINT        NOT NULL,
    added_at         TIMESTAMP     NOT NULL,
    PRIMARY KEY (cohort_idnumber, instance_index, kind, netypareo_id)
);
