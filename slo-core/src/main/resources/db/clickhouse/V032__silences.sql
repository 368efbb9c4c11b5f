-- Silences and maintenance windows. spec is the silence as JSON (matchers, one-off or weekly times, whether a
-- maintenance window is excluded from the budget). Expiring one writes the same id again with expired_at set and a
-- higher version, which replaces it.
CREATE TABLE IF NOT EXISTS ${DATABASE}.silences ${ON_CLUSTER}
(
    id         String,
    team       LowCardinality(String),
    kind       LowCardinality(String),
    spec       String,
    created_at DateTime64(3, 'UTC'),
    created_by String,
    expired_at Nullable(DateTime64(3, 'UTC')),
    version    UInt64
)
ENGINE = ${ENGINE:silences:ReplacingMergeTree(version)}
ORDER BY id
SETTINGS ${DEDUPLICATION_WINDOW}
