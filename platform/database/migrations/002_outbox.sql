-- Events written in the same transaction as the change they announce; a relay moves them to the
-- event log in seq order and marks them published.
CREATE TABLE outbox (
  seq bigserial PRIMARY KEY,
  event jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  attempts integer NOT NULL DEFAULT 0
);
-- The relay only ever looks for what is still to publish.
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;

-- The last sequence number given to each aggregate's events. Its row lock orders two transactions
-- emitting for one aggregate, so their outbox rows and sequence numbers agree.
CREATE TABLE outbox_sequences (
  aggregate_id text PRIMARY KEY,
  sequence integer NOT NULL
);
