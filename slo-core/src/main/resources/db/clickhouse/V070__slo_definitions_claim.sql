-- Which writer wrote a version: a random id per write. Two API processes that pick the same version number both
-- insert it with the same insert_deduplication_token (name and version), so ClickHouse keeps only the first
-- insert; each writer reads the version back and goes on only when the claim it finds is its own. '' in the rows
-- written before the column existed.
ALTER TABLE ${DATABASE}.slo_definitions ${ON_CLUSTER} ADD COLUMN IF NOT EXISTS claim String DEFAULT ''
