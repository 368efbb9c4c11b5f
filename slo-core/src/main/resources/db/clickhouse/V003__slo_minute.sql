-- Good and total events per SLO, group and minute of event time (the minute a span ended, UTC).
-- group_value is the value of the SLO's groupBy attribute, '' for an SLO that is not grouped.
-- Like latency_minute: a minute is re-emitted whole whenever it changes, with a version that only grows,
-- so the newest emission wins and a replay collapses into it; readers use FINAL.
CREATE TABLE IF NOT EXISTS ${DATABASE}.slo_minute ${ON_CLUSTER}
(
    slo         LowCardinality(String),
    group_value String,
    minute      DateTime('UTC'),
    good        UInt64,
    total       UInt64,
    version     UInt64
)
ENGINE = ${ENGINE:slo_minute:ReplacingMergeTree(version)}
PARTITION BY toYYYYMM(minute)
ORDER BY (slo, group_value, minute)
SETTINGS ${DEDUPLICATION_WINDOW}
