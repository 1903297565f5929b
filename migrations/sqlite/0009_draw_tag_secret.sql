-- Protocol 1.1: each draw's secret tag key (ristretto255 ECVRF, 32 bytes). The
-- leaves' organisation and identity tags are VRF outputs under it; the commit
-- publishes only the public key. Never served: the disclosure carries per-member
-- proofs made with it, never the key itself. Null only for draws made before.
ALTER TABLE draws ADD COLUMN tag_secret BLOB;
