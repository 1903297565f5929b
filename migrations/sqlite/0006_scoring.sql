-- Scoring: the rubric of a round, the experts' score sheets and their history.

ALTER TABLE rounds ADD COLUMN quota INTEGER NOT NULL DEFAULT 5;
ALTER TABLE rounds ADD COLUMN already_recommended INTEGER NOT NULL DEFAULT 0;
-- The draw whose panel scores, fixed when scoring opens.
ALTER TABLE rounds ADD COLUMN panel_draw TEXT;

-- A round's rubric (core scoring::Rubric as JSON); fixed (and logged by hash)
-- when scoring opens.
CREATE TABLE round_rubrics (
    round_id INTEGER PRIMARY KEY REFERENCES rounds (id),
    rubric   TEXT    NOT NULL,
    fixed_at INTEGER
);

-- One expert's sheet for one application. `draft` is the sheet as last saved;
-- `bytes` the exact bytes submitted (their hash is in the log).
CREATE TABLE sheets (
    round_id   INTEGER NOT NULL REFERENCES rounds (id),
    ref_no     TEXT    NOT NULL,
    expert_id  TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('draft', 'submitted', 'recused')),
    draft      TEXT,
    bytes      BLOB,
    total      TEXT,
    note       TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (round_id, ref_no, expert_id)
);

-- Every submission, recusal and reopening, kept.
CREATE TABLE sheet_history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id   INTEGER NOT NULL,
    ref_no     TEXT    NOT NULL,
    expert_id  TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    bytes      BLOB,
    reason     TEXT,
    account_id INTEGER NOT NULL,
    at         INTEGER NOT NULL
);
