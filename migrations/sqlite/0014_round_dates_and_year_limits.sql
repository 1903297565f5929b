-- Issue 14, item 1: a round's dates, and the province-year limit of projects
-- (人社部发〔2022〕62号: at most five a province a year, new and existing
-- together).

-- Dates as ISO 8601 calendar dates (YYYY-MM-DD), NULL until set.
ALTER TABLE rounds ADD COLUMN meeting_date TEXT;
ALTER TABLE rounds ADD COLUMN notice_start TEXT;
ALTER TABLE rounds ADD COLUMN notice_end TEXT;
ALTER TABLE rounds ADD COLUMN filing_date TEXT;

-- A province's own limit for a year; no row means the policy's five. A limit
-- above five carries the reason it was allowed.
CREATE TABLE year_limits (
    province     TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    max_projects INTEGER NOT NULL CHECK (max_projects BETWEEN 1 AND 100),
    reason       TEXT,
    account_id   INTEGER,
    set_at       INTEGER NOT NULL,
    PRIMARY KEY (province, year)
);

-- Every change of a limit, with its reason: the record of who raised or
-- lowered it, when and why.
CREATE TABLE year_limit_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    province     TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    max_projects INTEGER NOT NULL,
    reason       TEXT,
    account_id   INTEGER,
    at           INTEGER NOT NULL
);
CREATE INDEX year_limit_events_py ON year_limit_events (province, year);
