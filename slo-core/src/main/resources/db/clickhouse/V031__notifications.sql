-- Every delivery attempt of an alert transition to a notification target, and every decision not to deliver
-- (outcome silenced or skipped). outcome: delivered | failed (a final failure) | retry (an attempt that will be
-- retried) | silenced | skipped. A transition is done for a target once a row with a final outcome (anything but
-- retry) exists for (alert_id, sequence, target): the delivery consumer checks that before sending, so a replay
-- after a restart never pages twice. Plain MergeTree: every attempt is a row of its own. Kept 90 days.
CREATE TABLE IF NOT EXISTS ${DATABASE}.notifications ${ON_CLUSTER}
(
    alert_id     String,
    sequence     UInt64,
    target       String,
    attempt      UInt16,
    at           DateTime64(3, 'UTC'),
    outcome      LowCardinality(String),
    status_code  UInt16,
    error        String,
    latency_ms   UInt32,
    incident_id  String,
    state        LowCardinality(String),
    slo          String,
    team         LowCardinality(String),
    severity     LowCardinality(String),
    target_kind  LowCardinality(String)
)
ENGINE = ${ENGINE:notifications:MergeTree}
PARTITION BY toYYYYMM(at)
ORDER BY (alert_id, sequence, target, at, attempt)
TTL toDateTime(at) + INTERVAL 90 DAY
SETTINGS ${DEDUPLICATION_WINDOW}
