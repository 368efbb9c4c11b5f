-- API tokens: who may call the query API, as which team and role. Only the SHA-256 of a token is kept;
-- the secret is shown once when the token is created and is never stored. A revocation writes the same id
-- again with revoked = 1 and a higher version, which replaces the live row.
CREATE TABLE IF NOT EXISTS ${DATABASE}.api_tokens ${ON_CLUSTER}
(
    id         String,
    hash       String,
    name       String,
    team       LowCardinality(String),
    role       LowCardinality(String),
    created_at DateTime64(3, 'UTC'),
    created_by String,
    revoked    UInt8,
    version    UInt64
)
ENGINE = ${ENGINE:api_tokens:ReplacingMergeTree(version)}
ORDER BY id
SETTINGS ${DEDUPLICATION_WINDOW}
