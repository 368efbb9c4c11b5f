-- Latency histogram points (delta form) that metric_latency_minute does not count, kept for 30 days beside
-- late_events (whose rows are spans: the shapes differ). reason 'late': the point's interval ended in a minute
-- that had closed longer than the allowed lateness before it arrived. series names the point's time series
-- (service, instance, metric and attributes, NUL-separated); minute is the minute it belonged to by its time;
-- set_aside_at is when the job set it aside (processing time).
-- A replay after a failure may insert the same points again, later and in other batches; the sort key is the
-- point's own content and the table is not partitioned, so such copies always collapse (readers use FINAL).
-- The TTL deletes rows as merges reach them.
CREATE TABLE IF NOT EXISTS ${DATABASE}.late_metric_points ${ON_CLUSTER}
(
    service      LowCardinality(String),
    operation    LowCardinality(String),
    metric       LowCardinality(String),
    series       String,
    start_time   DateTime64(3, 'UTC'),
    time         DateTime64(3, 'UTC'),
    minute       DateTime('UTC'),
    error        Bool,
    count        UInt64,
    sum_ms       Float64,
    buckets      Map(Int32, UInt64),
    set_aside_at DateTime64(3, 'UTC'),
    reason       LowCardinality(String)
)
ENGINE = ${ENGINE:late_metric_points:ReplacingMergeTree}
ORDER BY (service, operation, metric, minute, series, time, start_time, error, count, sum_ms, reason)
TTL toDateTime(set_aside_at) + INTERVAL 30 DAY
SETTINGS ${DEDUPLICATION_WINDOW}
