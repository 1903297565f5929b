-- A province's expert pool. The record is the roster layout as JSON
-- (src/roster.rs ExpertRecord); every change to it is a roster_change entry in
-- the log, written in the same transaction.
CREATE TABLE experts (
    province   TEXT   NOT NULL,
    expert_id  TEXT   NOT NULL,
    record     TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (province, expert_id)
);
