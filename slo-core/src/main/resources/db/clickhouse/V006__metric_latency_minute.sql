-- Latency per service, operation and minute from OTLP histogram metrics (http.server.request.duration,
-- http.server.duration), kept apart from latency_minute so that a service sending both spans and metrics
-- is never counted twice. operation is "{http.request.method} {http.route}" as in span names; buckets are
-- LatencyHistogram buckets, each source bucket placed at its geometric midpoint, so quantiles are off by up
-- to half a source bucket (see docs/architecture.md, "Percentiles"). Same re-emission rules as latency_minute.
CREATE TABLE IF NOT EXISTS ${DATABASE}.metric_latency_minute ${ON_CLUSTER}
(
    service   LowCardinality(String),
    operation LowCardinality(String),
    metric    LowCardinality(String),
    minute    DateTime('UTC'),
    count     UInt64,
    errors    UInt64,
    sum_ms    Float64,
    buckets   Map(Int32, UInt64),
    version   UInt64
)
ENGINE = ${ENGINE:metric_latency_minute:ReplacingMergeTree(version)}
PARTITION BY toYYYYMM(minute)
ORDER BY (service, operation, metric, minute)
SETTINGS ${DEDUPLICATION_WINDOW}
