-- 0007: which hub node holds a delivery's push claim. Several nodes share one database; a claim
-- is short and renewed while its push streams (claimed_until), and a node that restarts frees
-- the claims it held before it stopped, found by its node id ([hub] node_id in trucd.toml).
ALTER TABLE deliveries ADD COLUMN claimed_by text;
