-- Issue 12, item 1 (protocol 1.6): a person who lost their personal key asks
-- for a replacement; the request waits here until another supervisor of the
-- draw approves it with their own key, and then becomes a key_registration
-- entry carrying that approval. Only the public key is ever here. A newer
-- request of the same person supersedes a pending one.
CREATE TABLE key_requests (
    id           BIGSERIAL PRIMARY KEY,
    province     TEXT NOT NULL,
    draw_id      TEXT NOT NULL,
    role         TEXT NOT NULL,    -- 'supervisor' or 'expert'
    person       TEXT NOT NULL,    -- the person's token in the draw, hex
    account_id   BIGINT NOT NULL,   -- who asked (their own account)
    registration TEXT NOT NULL,    -- the key_registration body without approval, JCS
    state        TEXT NOT NULL,    -- 'pending', 'approved' or 'superseded'
    requested_at BIGINT NOT NULL,
    approved_by  BIGINT,            -- the approving supervisor's account
    seq          BIGINT             -- the approved registration's entry
);
CREATE INDEX key_requests_draw ON key_requests (draw_id, state);
