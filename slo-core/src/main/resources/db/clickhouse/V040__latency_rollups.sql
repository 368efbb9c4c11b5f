-- Hourly and daily rollups of latency_minute, so that long ranges read hundreds of rows instead of millions.
-- Same columns as latency_minute, the time column named for its resolution. Written only by the streaming
-- deployable's rollup (docs/architecture.md, "Rollups"), and only for hours whose minutes can no longer change
-- (the stream's watermark minus the allowed lateness has passed the hour's end): an hour is the sum of its
-- minutes read with FINAL, a day the sum of its hours. version is the watermark (ms) the rollup was computed
-- at, so a recomputed hour or day replaces the old one; readers use FINAL.
CREATE TABLE IF NOT EXISTS ${DATABASE}.latency_hour ${ON_CLUSTER}
(
    service   LowCardinality(String),
    operation LowCardinality(String),
    hour      DateTime('UTC'),
    count     UInt64,
    errors    UInt64,
    sum_ms    Float64,
    buckets   Map(Int32, UInt64),
    version   UInt64
)
ENGINE = ${ENGINE:latency_hour:ReplacingMergeTree(version)}
PARTITION BY toYear(hour)
ORDER BY (service, operation, hour)
SETTINGS ${DEDUPLICATION_WINDOW};

CREATE TABLE IF NOT EXISTS ${DATABASE}.latency_day ${ON_CLUSTER}
(
    service   LowCardinality(String),
    operation LowCardinality(String),
    day       DateTime('UTC'),
    count     UInt64,
    errors    UInt64,
    sum_ms    Float64,
    buckets   Map(Int32, UInt64),
    version   UInt64
)
ENGINE = ${ENGINE:latency_day:ReplacingMergeTree(version)}
PARTITION BY toYear(day)
ORDER BY (service, operation, day)
SETTINGS ${DEDUPLICATION_WINDOW};

-- How far each rollup reaches: every hour (day) that starts before `through` is in latency_hour (latency_day),
-- and later ones are read from the finer table. Written after the rows it covers; never moves back (the
-- version is `through` itself), so readers take max(through).
CREATE TABLE IF NOT EXISTS ${DATABASE}.rollup_progress ${ON_CLUSTER}
(
    rollup_table LowCardinality(String),
    through      DateTime('UTC'),
    updated_at   DateTime64(3, 'UTC')
)
ENGINE = ${ENGINE:rollup_progress:ReplacingMergeTree(through)}
ORDER BY rollup_table
