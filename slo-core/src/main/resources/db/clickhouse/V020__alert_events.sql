-- Alert state transitions the stream emits (the same as on the Kafka topic nines.alerts): one row per
-- transition of an alert (alert_id = 'slo/severity'), numbered by sequence, which grows by one per
-- transition of the alert. A replay after a failure re-emits a transition with the sequence it had, so the
-- sort key (alert_id, sequence) collapses it into the first copy; readers use FINAL. Not partitioned by
-- time: a replayed transition must meet its first copy, and the table stays small.
CREATE TABLE IF NOT EXISTS ${DATABASE}.alert_events ${ON_CLUSTER}
(
    alert_id             String,
    slo                  LowCardinality(String),
    team                 LowCardinality(String),
    service              LowCardinality(String),
    severity             LowCardinality(String),
    state                LowCardinality(String),
    sequence             UInt64,
    incident_id          String,
    at                   DateTime64(3, 'UTC'),
    rule                 String,
    burn_rates           Map(String, Float64),
    budget_consumed      Float64,
    notification_targets Array(String)
)
ENGINE = ${ENGINE:alert_events:ReplacingMergeTree}
ORDER BY (alert_id, sequence)
SETTINGS ${DEDUPLICATION_WINDOW}
