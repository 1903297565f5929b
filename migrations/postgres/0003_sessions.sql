-- Login sessions (browser cookie or bearer) and API tokens. Only a SHA-256 of
-- each token is kept; the token itself is shown once, to its owner.
CREATE TABLE sessions (
    token_hash BYTEA  PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    kind       TEXT   NOT NULL CHECK (kind IN ('session', 'api')),
    label      TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX sessions_account ON sessions (account_id);
