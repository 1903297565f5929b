-- Issue 14, item 7: the ministry's read-only, national role. Like an admin it
-- belongs to no province; unlike an admin it sees no province's data, only the
-- filing overview. The two CHECK constraints of accounts (created unnamed in
-- 0002) are replaced by named ones that admit it.
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'accounts'::regclass AND contype = 'c' LOOP
        EXECUTE format('ALTER TABLE accounts DROP CONSTRAINT %I', c.conname);
    END LOOP;
END $$;
ALTER TABLE accounts
    ADD CONSTRAINT accounts_role CHECK (role IN ('admin', 'coordinator', 'expert', 'supervisor', 'ministry')),
    ADD CONSTRAINT accounts_national CHECK ((role IN ('admin', 'ministry')) = (province IS NULL));
