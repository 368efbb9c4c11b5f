-- Latency per service, operation and minute of event time (the minute a span ended, UTC).
-- buckets holds LatencyHistogram bucket -> count, so sumMap(buckets) over any rows merges exactly.
-- A minute is re-emitted whole whenever it changes (early results, late data, replay after a failure);
-- version grows with the events folded in, so the newest emission wins and a replay collapses into it.
CREATE TABLE IF NOT EXISTS ${DATABASE}.latency_minute ${ON_CLUSTER}
(
    service   LowCardinality(String),
    operation LowCardinality(String),
    minute    DateTime('UTC'),
    count     UInt64,
    errors    UInt64,
    sum_ms    Float64,
    buckets   Map(Int32, UInt64),
    version   UInt64
)
ENGINE = ${ENGINE:latency_minute:ReplacingMergeTree(version)}
PARTITION BY toYYYYMM(minute)
ORDER BY (service, operation, minute)
SETTINGS ${DEDUPLICATION_WINDOW}
