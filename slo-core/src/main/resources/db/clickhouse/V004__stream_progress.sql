-- The event-time watermark of each streaming job: every minute that ends at or before it is closed
-- (late events within the allowed lateness may still re-emit it, later ones are counted aside).
-- Readers take the newest row per job with FINAL; minutes after the watermark are provisional.
CREATE TABLE IF NOT EXISTS ${DATABASE}.stream_progress ${ON_CLUSTER}
(
    job        String,
    watermark  DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC')
)
ENGINE = ${ENGINE:stream_progress:ReplacingMergeTree(updated_at)}
ORDER BY job
