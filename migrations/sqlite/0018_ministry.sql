-- Issue 14, item 7: the ministry's read-only, national role. Like an admin it
-- belongs to no province; unlike an admin it sees no province's data, only the
-- filing overview. SQLite cannot change a CHECK constraint in place, so the
-- accounts table is rebuilt (the documented 12-step way, inside this
-- migration's transaction): sessions, the one table that references accounts,
-- is set aside and rebuilt after it, rows, ids and the AUTOINCREMENT counter
-- unchanged.
CREATE TABLE accounts_new (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    username             TEXT    NOT NULL UNIQUE,
    password_hash        TEXT    NOT NULL,   -- argon2id PHC string
    role                 TEXT    NOT NULL CHECK (role IN ('admin', 'coordinator', 'expert', 'supervisor', 'ministry')),
    province             TEXT,
    created_at           INTEGER NOT NULL,
    expert_id            TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    disabled_at          INTEGER,
    CHECK ((role IN ('admin', 'ministry')) = (province IS NULL))
);
INSERT INTO accounts_new (id, username, password_hash, role, province, created_at, expert_id, must_change_password, disabled_at)
    SELECT id, username, password_hash, role, province, created_at, expert_id, must_change_password, disabled_at FROM accounts;
CREATE TEMP TABLE accounts_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'accounts';
CREATE TEMP TABLE sessions_old AS SELECT * FROM sessions;
DROP TABLE sessions;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM accounts_seq), 0)) WHERE name = 'accounts';
CREATE TABLE sessions (
    token_hash BLOB    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    kind       TEXT    NOT NULL CHECK (kind IN ('session', 'api')),
    label      TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
INSERT INTO sessions (token_hash, account_id, kind, label, created_at, expires_at, revoked_at)
    SELECT token_hash, account_id, kind, label, created_at, expires_at, revoked_at FROM sessions_old;
CREATE INDEX sessions_account ON sessions (account_id);
DROP TABLE sessions_old;
DROP TABLE accounts_seq;
