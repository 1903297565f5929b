-- Issue 12, items 4 and 6: an admin retires a witness (its key lost, or the
-- witness gone): its cosignatures already kept stay served with their
-- checkpoints, but no new one is accepted. The name stays taken, so the
-- lines kept under it keep meaning the same key.
ALTER TABLE witness_keys ADD COLUMN retired_at BIGINT;
