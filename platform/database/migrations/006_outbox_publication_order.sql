-- The order in which the relay handed rows to the log. Rows commit out of seq order (a transaction
-- that took its seq first may commit last, and is then published after later rows), so seq cannot
-- say which rows the log took after the last one it records; this number can. The log's mark holds
-- the publication number of the last row it took. Rows published before this column existed keep
-- their seq, which is what the log's mark held for them.
CREATE SEQUENCE outbox_publication;
ALTER TABLE outbox ADD COLUMN publication bigint;
UPDATE outbox SET publication = seq WHERE published_at IS NOT NULL;
SELECT setval('outbox_publication', (SELECT last_value FROM outbox_seq_seq));
CREATE INDEX outbox_published_after ON outbox (publication) WHERE publication IS NOT NULL;
