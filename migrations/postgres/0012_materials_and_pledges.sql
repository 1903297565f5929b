-- The applications' materials (申报表 and supplementary files), stored by
-- content: the SHA-256 of the bytes is the key. scoring_open fixes every
-- material's hash in the log; serving a material re-hashes its bytes.
CREATE TABLE material_blobs (
    sha256 TEXT PRIMARY KEY,  -- 64 lowercase hex digits of SHA-256(bytes)
    bytes  BYTEA NOT NULL
);

CREATE TABLE materials (
    round_id    BIGINT NOT NULL REFERENCES rounds (id),
    ref_no      TEXT    NOT NULL,
    sha256      TEXT    NOT NULL REFERENCES material_blobs (sha256),
    name        TEXT    NOT NULL,  -- for display only
    media_type  TEXT    NOT NULL,  -- from the content, never the name
    size        BIGINT NOT NULL,
    uploaded_by BIGINT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    PRIMARY KEY (round_id, ref_no, sha256)
);

-- A round's pledge text (承诺书), as the coordinator set it; fixed (and its hash
-- logged) when scoring opens. No row: the default text.
CREATE TABLE round_pledges (
    round_id BIGINT PRIMARY KEY REFERENCES rounds (id),
    text     TEXT    NOT NULL,
    fixed_at BIGINT
);

-- Each panel member's confirmation of the pledge (a pledge entry at `seq`).
CREATE TABLE pledges (
    round_id   BIGINT NOT NULL REFERENCES rounds (id),
    expert_id  TEXT    NOT NULL,
    text_hash  TEXT    NOT NULL,
    seq        BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (round_id, expert_id)
);
