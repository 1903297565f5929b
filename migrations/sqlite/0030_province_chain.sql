-- Protocol 1.7: every new entry with a province names the previous entry of
-- the same province (`pprev`). An append finds it with one lookup on this
-- index (the province's highest seq), and a v1.7 bundle reads the draw's
-- province's entries of a range through it instead of every entry between.
CREATE INDEX log_entries_province ON log_entries (province, seq);
