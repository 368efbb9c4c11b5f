-- How far the job's minutes are final: its watermark less the allowed lateness. A minute that ends at or before
-- final_until can no longer change; one after it may still be re-emitted by a late event, even when the
-- watermark has passed its end. NULL in the rows written before the column existed (and by jobs that do not
-- know it): readers take NULL as "nothing known to be final".
ALTER TABLE ${DATABASE}.stream_progress ${ON_CLUSTER} ADD COLUMN IF NOT EXISTS final_until Nullable(DateTime64(3, 'UTC'))
