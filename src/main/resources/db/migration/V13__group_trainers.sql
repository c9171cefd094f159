-- The trainers of each diploma group, as NetYpareo derives them from the timetable (groupes-personnels/from-planning
-- for the period): read only when the courses stage is enabled (sync.courses.enabled), which enrols them as teachers.
-- Same life cycle as every cached record: never deleted, gone_at once NetYpareo stops listing the pair.
CREATE TABLE np_group_trainer (
    instance_index  INT           NOT NULL,
    group_code      INT           NOT NULL,
    staff_code      INT           NOT NULL,
    content_hash    VARCHAR(64)   NOT NULL,
    first_seen_at   TIMESTAMP     NOT NULL,
    changed_at      TIMESTAMP     NOT NULL,
    gone_at         TIMESTAMP,
    PRIMARY KEY (instance_index, group_code, staff_code)
);
