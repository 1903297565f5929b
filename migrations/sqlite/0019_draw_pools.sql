-- Issue 15, item 1: the big bytes out of the hot row. A draw's pool (its
-- leaves, their expert ids and every member's opening: tens of megabytes at
-- 100,000 members) is written once at the commit and never changes, while the
-- draw's row changes at every step (reveal, decline, disclosure); kept in the
-- row, each step rewrote all of it. One row per draw here, written with the
-- draws row in the commit's transaction.
CREATE TABLE draw_pools (
    draw_id  TEXT PRIMARY KEY REFERENCES draws (id),
    leaves   BLOB NOT NULL,   -- the pool leaves' exact bytes (JCS), in token order, joined by newlines
    experts  TEXT NOT NULL,   -- each leaf's expert id, in the same order, joined by newlines
    openings BLOB NOT NULL    -- every member's opening (salts included), JSON; read only to disclose
);
INSERT INTO draw_pools (draw_id, leaves, experts, openings) SELECT id, leaves, experts, openings FROM draws;
ALTER TABLE draws DROP COLUMN leaves;
ALTER TABLE draws DROP COLUMN experts;
ALTER TABLE draws DROP COLUMN openings;
