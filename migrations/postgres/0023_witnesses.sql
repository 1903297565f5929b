-- Issue 12, item 4: witnesses (C2SP tlog-cosignature). The admin registers
-- the witnesses whose cosignatures the service accepts; a cosignature is kept
-- per checkpoint and witness (the newest one), and served as one more
-- signature line of that checkpoint.
CREATE TABLE witness_keys (
    name     TEXT PRIMARY KEY,   -- the witness's key name (a schema-less URL)
    pubkey   TEXT NOT NULL,      -- Ed25519 public key, raw 32 bytes in base64
    added_at BIGINT NOT NULL
);

CREATE TABLE cosignatures (
    size   BIGINT NOT NULL REFERENCES checkpoints (size),
    name   TEXT NOT NULL REFERENCES witness_keys (name),
    line   TEXT NOT NULL,        -- the note signature line, verbatim
    time   BIGINT NOT NULL,          -- the cosignature's own timestamp
    PRIMARY KEY (size, name)
);
