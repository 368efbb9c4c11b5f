-- Entry spans the latency tables do not count, kept for 30 days so their owners can see what was set aside
-- and why. reason 'late': it ended in a minute that had closed longer than the allowed lateness before it
-- arrived; reason 'future': it ended more than the allowed clock skew after its record reached Kafka
-- (arrival), so its clock is not trusted. minute is the minute it belonged to by its end time.
-- A replay after a failure may insert the same spans again in other batches; the sort key is the span's
-- own content, so such copies collapse (readers use FINAL).
CREATE TABLE IF NOT EXISTS ${DATABASE}.late_events ${ON_CLUSTER}
(
    service     LowCardinality(String),
    operation   LowCardinality(String),
    end_time    DateTime64(3, 'UTC'),
    duration_ms Float64,
    error       Bool,
    minute      DateTime('UTC'),
    arrival     DateTime64(3, 'UTC'),
    reason      LowCardinality(String)
)
ENGINE = ${ENGINE:late_events:ReplacingMergeTree}
PARTITION BY toYYYYMMDD(arrival)
ORDER BY (service, operation, minute, end_time, duration_ms, arrival, error, reason)
TTL toDateTime(arrival) + INTERVAL 30 DAY
SETTINGS ${DEDUPLICATION_WINDOW}
