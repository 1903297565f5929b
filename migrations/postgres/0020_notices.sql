-- The public notice (公示) of a round's sealed results and the objections (异议)
-- to it (issue 14, items 3 and 4). Publishing and closing a notice are log
-- entries (notice, notice_close) holding the text's SHA-256 and the counts;
-- an upheld objection's withdrawal is a withdrawal entry. Objectors' names,
-- contacts, grounds and attachments stay here and never enter the log.
CREATE TABLE notices (
    id              BIGSERIAL PRIMARY KEY,
    round_id        BIGINT  NOT NULL UNIQUE REFERENCES rounds (id),
    province        TEXT    NOT NULL,
    year            BIGINT  NOT NULL,
    columns         TEXT    NOT NULL,  -- JSON array of the published columns
    projects        TEXT    NOT NULL,  -- JSON array of the listed application refs
    require_contact BIGINT  NOT NULL,  -- 1: an objection must give name and contact
    how_to_object   TEXT    NOT NULL,
    text            TEXT    NOT NULL,  -- the exact published text (canonical form)
    text_sha256     TEXT    NOT NULL,  -- the notice entry's `text`, hex
    start_date      TEXT    NOT NULL,
    end_date        TEXT    NOT NULL,
    working_days    BIGINT  NOT NULL,
    seq             BIGINT  NOT NULL,  -- the notice entry
    published_at    BIGINT  NOT NULL,
    published_by    BIGINT  NOT NULL,
    close_seq       BIGINT,            -- the notice_close entry
    closed_at       BIGINT
);

CREATE TABLE objections (
    id              BIGSERIAL PRIMARY KEY,
    notice_id       BIGINT  NOT NULL REFERENCES notices (id),
    reference       TEXT    NOT NULL UNIQUE,  -- YY-<province>-<n>
    token_sha256    TEXT    NOT NULL,         -- SHA-256 of the receipt token given at submission
    name            TEXT,
    contact         TEXT,
    project         TEXT    NOT NULL,         -- an application ref on the notice
    grounds         TEXT    NOT NULL,
    attachment      BYTEA,
    attachment_type TEXT,
    received_at     BIGINT  NOT NULL,
    outcome         TEXT    NOT NULL DEFAULT 'pending',  -- pending | upheld | rejected
    answer          TEXT,
    handled_at      BIGINT,
    handled_by      BIGINT,
    withdrawal_seq  BIGINT                    -- the withdrawal entry, when upheld and withdrawn
);
CREATE INDEX objections_notice ON objections (notice_id);
