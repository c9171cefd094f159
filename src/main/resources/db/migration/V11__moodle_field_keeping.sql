-- What Moodle keeps of the fields ypsync writes (issue: a site that silently drops or normalises a field must not
-- be rewritten every run).
--
-- held: JSON object, field -> the value Moodle read back after ypsync wrote another one (null: Moodle holds
-- nothing, e.g. a user profile field that does not exist). Drift repair compares Moodle with this, not with what
-- was sent. held_at: when it was last set.
ALTER TABLE moodle_user_link ADD COLUMN held TEXT;
ALTER TABLE moodle_user_link ADD COLUMN held_at TIMESTAMP;

-- One row per field that Moodle did not keep at least once: kept = false once more writes than
-- sync.users.unkept-field-threshold did not stick (drift repair then leaves the field alone); changed_at: when kept
-- last changed; checked_at: when ypsync last tried whether Moodle keeps it again.
CREATE TABLE moodle_field_state (
    field       VARCHAR(120)  NOT NULL PRIMARY KEY,
    kept        BOOLEAN       NOT NULL,
    strikes     INT           NOT NULL,
    changed_at  TIMESTAMP,
    checked_at  TIMESTAMP
);
