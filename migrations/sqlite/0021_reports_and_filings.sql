-- Issue 14, items 5 and 6: the review report (评审报告) of a round, issued
-- once (a `report` log entry holds the document's SHA-256), and its filing
-- (备案): the package, its manifest and the `filing` entry. One of each per
-- round.
CREATE TABLE reports (
    round_id  INTEGER PRIMARY KEY REFERENCES rounds (id),
    document  BLOB    NOT NULL,   -- the document's JCS bytes
    sha256    TEXT    NOT NULL,   -- plain SHA-256 of document, as the entry fixes it
    seq       INTEGER NOT NULL,   -- the report entry
    issued_by INTEGER NOT NULL,
    issued_at INTEGER NOT NULL
);

CREATE TABLE filings (
    round_id        INTEGER PRIMARY KEY REFERENCES rounds (id),
    package         BLOB    NOT NULL,   -- the ZIP
    manifest_sha256 TEXT    NOT NULL,   -- plain SHA-256 of manifest.json, as the entry fixes it
    seq             INTEGER NOT NULL,   -- the filing entry
    late            INTEGER NOT NULL CHECK (late IN (0, 1)),
    filed_by        INTEGER NOT NULL,
    filed_at        INTEGER NOT NULL
);
