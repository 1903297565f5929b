-- The signed, append-only log (docs/PROTOCOL.md). One row per entry, holding the
-- entry's exact signed bytes; nothing here is ever updated or deleted.
CREATE TABLE log_entries (
    seq      BIGINT PRIMARY KEY,    -- position in the log, from 0; the Merkle leaf index
    bytes    BYTEA  NOT NULL,       -- the entry's exact canonical bytes, as signed
    sig      BYTEA  NOT NULL,       -- Ed25519 signature over bytes (64 bytes)
    hash     BYTEA  NOT NULL,       -- H(entry, bytes): the next entry's prev
    kind     TEXT   NOT NULL,
    province TEXT,
    draw     TEXT,
    time     BIGINT NOT NULL
);
CREATE INDEX log_entries_draw ON log_entries (draw);

-- The Merkle tree's stored hashes in tlog layout (index -> hash); every proof is
-- computed from these.
CREATE TABLE log_hashes (
    idx  BIGINT PRIMARY KEY,
    hash BYTEA  NOT NULL
);

-- The log's head: one row, locked (SELECT … FOR UPDATE) by every append, so that
-- several fairpanel processes on one database keep one linear log.
CREATE TABLE log_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    size      BIGINT  NOT NULL,
    last_hash BYTEA   NOT NULL
);
INSERT INTO log_head (id, size, last_hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

-- Signed checkpoints (C2SP signed notes), one per tree size that was published.
CREATE TABLE checkpoints (
    size      BIGINT PRIMARY KEY,
    text      TEXT   NOT NULL,
    signed_at BIGINT NOT NULL
);
