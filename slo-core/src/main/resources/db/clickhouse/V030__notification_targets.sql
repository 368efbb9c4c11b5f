-- Every version of every AlertNotificationTarget, kept as history; the API is the only writer.
-- document is the target as Nines reads it, as JSON, secrets included (routing keys, webhook URLs, header
-- values): the store is trusted, the API never returns them and the code never logs them.
-- deleted = 1 marks a deletion (document then holds the last target). The current version of a target is its
-- highest version, gone when that version is a deletion.
CREATE TABLE IF NOT EXISTS ${DATABASE}.notification_targets ${ON_CLUSTER}
(
    name       String,
    team       LowCardinality(String),
    kind       LowCardinality(String),
    version    UInt32,
    document   String,
    deleted    UInt8,
    changed_at DateTime64(3, 'UTC'),
    changed_by String
)
ENGINE = ${ENGINE:notification_targets:ReplacingMergeTree}
ORDER BY (name, version)
SETTINGS ${DEDUPLICATION_WINDOW}
