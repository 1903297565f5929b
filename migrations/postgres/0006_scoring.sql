-- Scoring: the rubric of a round, the experts' score sheets and their history.

ALTER TABLE rounds ADD COLUMN quota BIGINT NOT NULL DEFAULT 5;
ALTER TABLE rounds ADD COLUMN already_recommended BIGINT NOT NULL DEFAULT 0;
-- The draw whose panel scores, fixed when scoring opens.
ALTER TABLE rounds ADD COLUMN panel_draw TEXT;

-- A round's rubric (core scoring::Rubric as JSON); fixed (and logged by hash)
-- when scoring opens.
CREATE TABLE round_rubrics (
    round_id BIGINT PRIMARY KEY REFERENCES rounds (id),
    rubric   TEXT    NOT NULL,
    fixed_at BIGINT
);

-- One expert's sheet for one application. `draft` is the sheet as last saved;
-- `bytes` the exact bytes submitted (their hash is in the log).
CREATE TABLE sheets (
    round_id   BIGINT NOT NULL REFERENCES rounds (id),
    ref_no     TEXT    NOT NULL,
    expert_id  TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('draft', 'submitted', 'recused')),
    draft      TEXT,
    bytes      BYTEA,
    total      TEXT,
    note       TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (round_id, ref_no, expert_id)
);

-- Every submission, recusal and reopening, kept.
CREATE TABLE sheet_history (
    id         BIGSERIAL PRIMARY KEY,
    round_id   BIGINT NOT NULL,
    ref_no     TEXT    NOT NULL,
    expert_id  TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    bytes      BYTEA,
    reason     TEXT,
    account_id BIGINT NOT NULL,
    at         BIGINT NOT NULL
);
