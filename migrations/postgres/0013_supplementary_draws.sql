-- A supplementary draw (补抽) names the earlier draw whose empty seats it
-- fills; NULL for an ordinary draw. It keeps that draw's pool, so its leaves,
-- experts, openings and tag secret are copies of the earlier draw's.
ALTER TABLE draws ADD COLUMN supplements TEXT;
CREATE INDEX draws_supplements ON draws (supplements);
