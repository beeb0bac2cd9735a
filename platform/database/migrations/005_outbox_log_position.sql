-- The outbox is where events are kept, not only a queue to the log: a published row stays until
-- every consumer group has acknowledged it, or for the retention period, so a log that lost it (a
-- Redis that came back empty) is filled again from here. log_id is where the log put the row.
ALTER TABLE outbox ADD COLUMN log_id text;
-- Pruning looks for the oldest published rows.
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;
