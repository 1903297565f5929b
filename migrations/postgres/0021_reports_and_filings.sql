-- Issue 14, items 5 and 6: the review report (评审报告) of a round, issued
-- once (a `report` log entry holds the document's SHA-256), and its filing
-- (备案): the package, its manifest and the `filing` entry. One of each per
-- round.
CREATE TABLE reports (
    round_id  BIGINT PRIMARY KEY REFERENCES rounds (id),
    document  BYTEA   NOT NULL,   -- the document's JCS bytes
    sha256    TEXT    NOT NULL,   -- plain SHA-256 of document, as the entry fixes it
    seq       BIGINT  NOT NULL,   -- the report entry
    issued_by BIGINT  NOT NULL,
    issued_at BIGINT  NOT NULL
);

CREATE TABLE filings (
    round_id        BIGINT PRIMARY KEY REFERENCES rounds (id),
    package         BYTEA   NOT NULL,   -- the ZIP
    manifest_sha256 TEXT    NOT NULL,   -- plain SHA-256 of manifest.json, as the entry fixes it
    seq             BIGINT  NOT NULL,   -- the filing entry
    late            BIGINT  NOT NULL CHECK (late IN (0, 1)),
    filed_by        BIGINT  NOT NULL,
    filed_at        BIGINT  NOT NULL
);
