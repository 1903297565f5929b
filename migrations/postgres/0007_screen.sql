-- Coordinators' overrides of the eligibility screen (each also a
-- screen_override log entry).
CREATE TABLE screen_overrides (
    round_id   BIGINT NOT NULL REFERENCES rounds (id),
    ref_no     TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    account_id BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (round_id, ref_no)
);
