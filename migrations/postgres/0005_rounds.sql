-- Review rounds, their applications, draws and notifications (issue: the draw
-- workflow). Personal data stays in these tables; the public log holds only
-- hashes and tokens until a draw's disclosure.

-- An expert account may be linked to the roster entry it is (to see its own
-- assignments).
ALTER TABLE accounts ADD COLUMN expert_id TEXT;

CREATE TABLE rounds (
    id         BIGSERIAL PRIMARY KEY,
    province   TEXT    NOT NULL,
    year       BIGINT  NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('base_new', 'base_existing', 'studio')),
    title      TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('open', 'drawn', 'scoring', 'closed', 'reported')),
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);
CREATE INDEX rounds_province ON rounds (province);

CREATE TABLE applications (
    round_id   BIGINT  NOT NULL REFERENCES rounds (id),
    ref_no     TEXT    NOT NULL,
    record     TEXT    NOT NULL,   -- src/applications.rs ApplicationRecord as JSON
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (round_id, ref_no)
);

-- A draw. `openings` (every member's identity and salts) and `secret` (the
-- operator's secret) stay here, never served, until the disclosure (openings)
-- and the reveal (secret).
CREATE TABLE draws (
    id               TEXT    PRIMARY KEY,
    province         TEXT    NOT NULL,
    round_id         BIGINT  NOT NULL REFERENCES rounds (id),
    state            TEXT    NOT NULL CHECK (state IN ('committed', 'revealed', 'voided', 'disclosed')),
    request          TEXT    NOT NULL,   -- the coordinator's draw request (JSON)
    spec             TEXT    NOT NULL,   -- the committed DrawSpec (JSON)
    commit_seq       BIGINT  NOT NULL,
    commit_hash      BYTEA    NOT NULL,
    commit_time      BIGINT  NOT NULL,
    entropy_deadline BIGINT  NOT NULL,
    beacon_round     BIGINT,
    secret           BYTEA    NOT NULL,
    leaves           BYTEA    NOT NULL,   -- the pool leaves' exact bytes (JCS), in token order, joined by newlines
    experts          TEXT     NOT NULL,   -- each leaf's expert id, in the same order, joined by newlines
    openings         BYTEA    NOT NULL,   -- every member's opening (salts included), JSON; read only to disclose
    panel            TEXT    NOT NULL DEFAULT '[]',  -- pool indexes, seat order
    alternates       TEXT    NOT NULL DEFAULT '[]',
    ever             TEXT    NOT NULL DEFAULT '[]',
    version          BIGINT  NOT NULL DEFAULT 0,
    revealed_at      BIGINT,
    created_at       BIGINT  NOT NULL
);
CREATE INDEX draws_province ON draws (province);
CREATE INDEX draws_round ON draws (round_id);

-- Who sits where, by expert id, for assignments, cooldown and scoring.
CREATE TABLE draw_members (
    draw_id   TEXT    NOT NULL REFERENCES draws (id),
    expert_id TEXT    NOT NULL,
    province  TEXT    NOT NULL,
    role      TEXT    NOT NULL CHECK (role IN ('panel', 'alternate', 'declined', 'passed')),
    position  BIGINT  NOT NULL,
    since     BIGINT  NOT NULL,
    PRIMARY KEY (draw_id, expert_id)
);
CREATE INDEX draw_members_expert ON draw_members (province, expert_id);

-- Notifications waiting to be delivered by the webhook sender.
CREATE TABLE outbox (
    id         BIGSERIAL PRIMARY KEY,
    province   TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    recipient  TEXT    NOT NULL,   -- expert id
    payload    TEXT    NOT NULL,   -- JSON
    created_at BIGINT  NOT NULL,
    sent_at    BIGINT,
    attempts   BIGINT  NOT NULL DEFAULT 0,
    last_error TEXT
);
