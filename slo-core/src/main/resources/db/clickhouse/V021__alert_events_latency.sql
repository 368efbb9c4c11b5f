-- What the latency rule that caused a transition observed (docs/alerting.md): quantile, lookbackMillis,
-- thresholdMillis, observedMillis and spans. Empty for transitions of other rules and for the rows written before
-- latency rules existed, which read as "no latency".
ALTER TABLE ${DATABASE}.alert_events ${ON_CLUSTER} ADD COLUMN IF NOT EXISTS latency Map(String, Float64)
