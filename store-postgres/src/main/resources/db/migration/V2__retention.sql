-- Retention (docs/extensions/retention.md), schema version 2.
--
-- ds_stream gains the stream's policies (configuration, fixed at creation), its retained start (the
-- first position served: readers below it get 410 offset-reclaimed) and latest snapshot, and the
-- bookkeeping of the background sweep: chunks below reclaim_to may be deleted once reclaim_at_ms is
-- one retention interval old (so a read that started before the start moved finds its chunks).
ALTER TABLE ds_stream
    ADD COLUMN retention_age_seconds bigint,
    ADD COLUMN retention_bytes       bigint,
    ADD COLUMN retained_start        bigint NOT NULL DEFAULT 0,
    ADD COLUMN latest_snapshot       bigint NOT NULL DEFAULT -1,
    ADD COLUMN reclaim_to            bigint NOT NULL DEFAULT 0,
    ADD COLUMN reclaim_at_ms         bigint NOT NULL DEFAULT 0;

-- The streams the sweep visits: those with a policy, or whose start moved past what was deleted.
CREATE INDEX ds_stream_retention ON ds_stream (name)
    WHERE retention_age_seconds IS NOT NULL OR retention_bytes IS NOT NULL OR retained_start > reclaim_to;

-- When each append was accepted (retention by age). Rows from before version 2 count as old, which
-- only matters for streams with an age policy, and those did not exist before.
ALTER TABLE ds_chunk ADD COLUMN appended_ms bigint NOT NULL DEFAULT 0;
