-- The signed, append-only log (docs/PROTOCOL.md). One row per entry, holding the
-- entry's exact signed bytes; nothing here is ever updated or deleted.
CREATE TABLE log_entries (
    seq      INTEGER PRIMARY KEY,   -- position in the log, from 0; the Merkle leaf index
    bytes    BLOB    NOT NULL,      -- the entry's exact canonical bytes, as signed
    sig      BLOB    NOT NULL,      -- Ed25519 signature over bytes (64 bytes)
    hash     BLOB    NOT NULL,      -- H(entry, bytes): the next entry's prev
    kind     TEXT    NOT NULL,
    province TEXT,
    draw     TEXT,
    time     INTEGER NOT NULL
);
CREATE INDEX log_entries_draw ON log_entries (draw);

-- The Merkle tree's stored hashes in tlog layout (index -> hash); every proof is
-- computed from these.
CREATE TABLE log_hashes (
    idx  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
);

-- The log's head: one row, written by every append inside the append's
-- transaction, so appends are serialized.
CREATE TABLE log_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    size      INTEGER NOT NULL,
    last_hash BLOB    NOT NULL
);
INSERT INTO log_head (id, size, last_hash) VALUES (1, 0, zeroblob(32));

-- Signed checkpoints (C2SP signed notes), one per tree size that was published.
CREATE TABLE checkpoints (
    size      INTEGER PRIMARY KEY,
    text      TEXT    NOT NULL,
    signed_at INTEGER NOT NULL
);
