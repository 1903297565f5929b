-- Protocol 1.2: sheets lock when the last one is in; explanations are asked
-- for after the lock; a coordinator can unlock with a reason.

-- The round's abnormal-total threshold (two-decimal text; NULL = 15.00),
-- fixed in scoring_open.
ALTER TABLE rounds ADD COLUMN abnormal_points TEXT;
-- The seq of the scoring_lock in force; NULL while unlocked.
ALTER TABLE rounds ADD COLUMN locked_seq INTEGER;

-- One explanation asked for by a lock (by the sheet's hash), and its answer.
CREATE TABLE explanations (
    round_id   INTEGER NOT NULL REFERENCES rounds (id),
    lock_seq   INTEGER NOT NULL,
    ref_no     TEXT    NOT NULL,
    expert_id  TEXT    NOT NULL,
    sheet_hash TEXT    NOT NULL,
    bytes      BLOB,
    seq        INTEGER,
    at         INTEGER,
    PRIMARY KEY (round_id, lock_seq, sheet_hash)
);

-- A round's scoring events that are not one sheet's: lock, unlock (with the
-- coordinator's reason).
CREATE TABLE round_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id   INTEGER NOT NULL REFERENCES rounds (id),
    action     TEXT    NOT NULL,
    reason     TEXT,
    account_id INTEGER,
    seq        INTEGER NOT NULL,
    at         INTEGER NOT NULL
);
