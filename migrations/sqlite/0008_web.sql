-- The web interface's account states. An account made with a one-time
-- password must change it before anything else (the pages send it to the
-- password form); a disabled account can neither log in nor use a session.
ALTER TABLE accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN disabled_at INTEGER;
