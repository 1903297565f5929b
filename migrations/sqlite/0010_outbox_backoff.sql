-- Webhook retries back off: a failed notification is tried again no earlier
-- than this (unix seconds; null = due now), the wait doubling with each attempt.
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL;
