-- Accounts. role: admin (all provinces), coordinator, expert, supervisor (each
-- bound to one province by its GB/T 2260 code).
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,   -- argon2id PHC string
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'coordinator', 'expert', 'supervisor')),
    province      TEXT,
    created_at    INTEGER NOT NULL,
    CHECK ((role = 'admin') = (province IS NULL))
);
