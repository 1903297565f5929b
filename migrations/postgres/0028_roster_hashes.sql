-- The roster hash kept incrementally (issue 15, item 3; docs/PROTOCOL.md,
-- roster_change): each expert row holds its record's hash, its bucket (from a
-- hash of its id) and whether it is active; roster_heads holds each province's
-- 1024 bucket hashes (32 bytes each, in bucket order), its counts and a
-- version every write of the roster changes (a random number: the service's
-- in-memory rosters are keyed by it). Rows from before this migration get
-- their columns, and the province its head, at the first write of the roster.
ALTER TABLE experts ADD COLUMN rhash BYTEA;
ALTER TABLE experts ADD COLUMN bucket BIGINT;
ALTER TABLE experts ADD COLUMN active BOOLEAN;
CREATE INDEX experts_by_bucket ON experts (province, bucket);
CREATE TABLE roster_heads (
    province TEXT    PRIMARY KEY,
    version  BIGINT  NOT NULL,
    buckets  BYTEA   NOT NULL,
    active   BIGINT  NOT NULL,
    total    BIGINT  NOT NULL
);
