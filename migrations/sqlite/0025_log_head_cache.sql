-- What an append needs of the log besides its size, kept in the head row it
-- already locks, so an append reads one row instead of the last entry's time
-- and the tree's frontier from log_hashes (issue 15, item 6). Both describe the
-- log at `cached_size` entries; when that is not `size` (a head rewritten by
-- hand, a database from before this migration) the append reads them from the
-- tables as before and caches them again. `frontier` holds the stored hashes of
-- the tree's complete subtrees, left to right (tlog_tiles::sub_tree_index(0, size)),
-- 32 bytes each.
ALTER TABLE log_head ADD COLUMN cached_size INTEGER NOT NULL DEFAULT -1;
ALTER TABLE log_head ADD COLUMN last_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE log_head ADD COLUMN frontier BLOB;
