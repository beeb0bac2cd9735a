-- Results of mutations that create things, by the caller's idempotency key, so a retry returns the
-- first result instead of creating (and announcing) a second one.
CREATE TABLE idempotency_keys (
  key text PRIMARY KEY,
  operation text NOT NULL,
  request_hash text NOT NULL,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
