-- Issue 12, item 3: accounts that cannot be twinned.
--
-- One account per roster expert: a second account linked to the same roster
-- entry is refused by this index, not only by the code. Twins made before it
-- (the oldest account of an entry is kept) are unlinked and disabled first, so
-- the index can be built; their sessions end.
UPDATE sessions SET revoked_at = strftime('%s', 'now')
    WHERE revoked_at IS NULL AND account_id IN (
        SELECT a.id FROM accounts a WHERE a.expert_id IS NOT NULL AND a.id > (
            SELECT MIN(b.id) FROM accounts b WHERE b.province = a.province AND b.expert_id = a.expert_id));
UPDATE accounts SET disabled_at = coalesce(disabled_at, strftime('%s', 'now')), expert_id = NULL
    WHERE expert_id IS NOT NULL AND id > (
        SELECT MIN(b.id) FROM accounts b WHERE b.province = accounts.province AND b.expert_id = accounts.expert_id);
CREATE UNIQUE INDEX accounts_one_per_expert ON accounts (province, expert_id) WHERE expert_id IS NOT NULL;

-- An account made by someone else is activated by its owner: the maker gets a
-- random code (only its SHA-256 is kept) that works once, until expires_at, to
-- choose the account's first password. used_at is set, atomically, by the one
-- use; a new code for the account ends the open ones (expires_at = issued).
CREATE TABLE account_activations (
    code_hash  BLOB    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    issued_by  INTEGER REFERENCES accounts (id),
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX account_activations_account ON account_activations (account_id);
