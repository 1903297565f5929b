-- The public notice (公示) of a round's sealed results and the objections (异议)
-- to it (issue 14, items 3 and 4). Publishing and closing a notice are log
-- entries (notice, notice_close) holding the text's SHA-256 and the counts;
-- an upheld objection's withdrawal is a withdrawal entry. Objectors' names,
-- contacts, grounds and attachments stay here and never enter the log.
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id        INTEGER NOT NULL UNIQUE REFERENCES rounds (id),
    province        TEXT    NOT NULL,
    year            INTEGER NOT NULL,
    columns         TEXT    NOT NULL,  -- JSON array of the published columns
    projects        TEXT    NOT NULL,  -- JSON array of the listed application refs
    require_contact INTEGER NOT NULL,  -- 1: an objection must give name and contact
    how_to_object   TEXT    NOT NULL,
    text            TEXT    NOT NULL,  -- the exact published text (canonical form)
    text_sha256     TEXT    NOT NULL,  -- the notice entry's `text`, hex
    start_date      TEXT    NOT NULL,
    end_date        TEXT    NOT NULL,
    working_days    INTEGER NOT NULL,
    seq             INTEGER NOT NULL,  -- the notice entry
    published_at    INTEGER NOT NULL,
    published_by    INTEGER NOT NULL,
    close_seq       INTEGER,           -- the notice_close entry
    closed_at       INTEGER
);

CREATE TABLE objections (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    notice_id       INTEGER NOT NULL REFERENCES notices (id),
    reference       TEXT    NOT NULL UNIQUE,  -- YY-<province>-<n>
    token_sha256    TEXT    NOT NULL,         -- SHA-256 of the receipt token given at submission
    name            TEXT,
    contact         TEXT,
    project         TEXT    NOT NULL,         -- an application ref on the notice
    grounds         TEXT    NOT NULL,
    attachment      BLOB,
    attachment_type TEXT,
    received_at     INTEGER NOT NULL,
    outcome         TEXT    NOT NULL DEFAULT 'pending',  -- pending | upheld | rejected
    answer          TEXT,
    handled_at      INTEGER,
    handled_by      INTEGER,
    withdrawal_seq  INTEGER                   -- the withdrawal entry, when upheld and withdrawn
);
CREATE INDEX objections_notice ON objections (notice_id);
