-- Every version of every SLO definition, kept as history; the API is the only writer.
-- document is the OpenSLO SLO document as canonical JSON (keys sorted, SLIs inlined), so two texts that
-- mean the same document compare equal. deleted = 1 marks a deletion (document then holds the last one).
-- A version is written with published = 0 before it goes to Kafka and again with published = 1 once Kafka
-- acknowledged it; the second row replaces the first, so a failed publish never becomes current.
CREATE TABLE IF NOT EXISTS ${DATABASE}.slo_definitions ${ON_CLUSTER}
(
    name       String,
    team       LowCardinality(String),
    service    String,
    version    UInt32,
    document   String,
    deleted    UInt8,
    published  UInt8,
    changed_at DateTime64(3, 'UTC'),
    changed_by String
)
ENGINE = ${ENGINE:slo_definitions:ReplacingMergeTree(published)}
ORDER BY (name, version)
SETTINGS ${DEDUPLICATION_WINDOW}
