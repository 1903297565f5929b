-- Issue 14, item 2: the working-day calendar. The years that ship with the
-- service are data files compiled in (data/calendar/); these tables hold what
-- an admin adds: a later year (its notice's file, as given) and a province's
-- exceptions.
CREATE TABLE calendar_years (
    year       BIGINT PRIMARY KEY,
    source     TEXT    NOT NULL,
    data       TEXT    NOT NULL,   -- the year's file (src/calendar.rs YearFile) as TOML
    account_id BIGINT,
    added_at   BIGINT  NOT NULL
);

CREATE TABLE calendar_exceptions (
    province   TEXT    NOT NULL,
    day        TEXT    NOT NULL,   -- YYYY-MM-DD
    working    BIGINT  NOT NULL CHECK (working IN (0, 1)),
    note       TEXT    NOT NULL,
    account_id BIGINT,
    added_at   BIGINT  NOT NULL,
    PRIMARY KEY (province, day)
);
