-- The courses stage (sync.courses.enabled): the course categories and courses ypsync created or adopted, by idnumber,
-- with what it last wrote there, and the enrolments it made in them. Enrolments made by hand (or by cohort sync) are
-- never recorded here: they are not ypsync's to suspend.
CREATE TABLE moodle_course_category_link (
    idnumber    VARCHAR(100)  NOT NULL PRIMARY KEY,
    moodle_id   BIGINT        NOT NULL,
    written     TEXT          NOT NULL,
    updated_at  TIMESTAMP     NOT NULL
);

CREATE TABLE moodle_course_link (
    idnumber    VARCHAR(100)  NOT NULL PRIMARY KEY,
    moodle_id   BIGINT        NOT NULL,
    written     TEXT          NOT NULL,      -- JSON object: the course fields as ypsync last wrote them
    updated_at  TIMESTAMP     NOT NULL
);

-- One manual enrolment ypsync made: who (instance, kind, NetYpareo id) in which course, with which role, and the
-- dates and suspend flag it last sent (a re-send must carry them all: enrol_manual_enrol_users is not a patch).
CREATE TABLE moodle_enrolment_link (
    course_idnumber   VARCHAR(100)  NOT NULL,
    instance_index    INT           NOT NULL,
    kind              VARCHAR(10)   NOT NULL,
    netypareo_id      VARCHAR(40)   NOT NULL,
    role              VARCHAR(10)   NOT NULL,
    moodle_course_id  BIGINT        NOT NULL,
    moodle_user_id    BIGINT        NOT NULL,
    role_id           BIGINT        NOT NULL,
    timestart         BIGINT        NOT NULL,
    timeend           BIGINT        NOT NULL,
    suspended         BOOLEAN       NOT NULL,
    updated_at        TIMESTAMP     NOT NULL,
    PRIMARY KEY (course_idnumber, instance_index, kind, netypareo_id)
);
