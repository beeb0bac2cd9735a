-- Events a consumer has handled, so a redelivered event changes nothing: recorded in the same
-- transaction as the handler's change.
CREATE TABLE processed_events (
  consumer text NOT NULL,
  event_id text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
