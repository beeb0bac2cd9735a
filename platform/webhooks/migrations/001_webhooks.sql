-- Partners' webhook endpoints: where an organisation wants which events, and the secret its
-- deliveries are signed with (Standard Webhooks, whsec_...).
-- The secret is stored as given so the deliverer can sign. A production deployment keeps it
-- encrypted instead (envelope encryption: a data key per row wrapped by a KMS key, unwrapped by the
-- deliverer only), so a database dump or backup does not hand out every partner's signing key.
CREATE TABLE webhook_endpoint (
  id text PRIMARY KEY,
  organization_id text NOT NULL,
  url text NOT NULL,
  event_types text[] NOT NULL,
  secret text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  disabled_reason text CHECK (disabled_reason IN ('requested', 'failing', 'gone')),
  -- Failed attempts since the last success, across deliveries: too many disables the endpoint.
  consecutive_failures integer NOT NULL DEFAULT 0,
  registered_by text NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);
CREATE INDEX webhook_endpoint_organization ON webhook_endpoint (organization_id, registered_at);
-- Matching an event: the active endpoints whose event_types hold its type.
CREATE INDEX webhook_endpoint_event_types ON webhook_endpoint USING gin (event_types) WHERE status = 'active';

-- One event for one endpoint. The body is what the endpoint's organisation may see of the event,
-- minimized for it, kept so that retries and redeliveries send the same bytes. The schedule lives
-- here, not in a deliverer's memory: a restart loses no pending retry.
CREATE TABLE webhook_delivery (
  id text PRIMARY KEY,
  endpoint_id text NOT NULL REFERENCES webhook_endpoint (id),
  event_id text NOT NULL,
  event_type text NOT NULL,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  -- Attempts made before the last redelivery: a redelivered one gets a full round of retries.
  attempts_before_requeue integer NOT NULL DEFAULT 0,
  -- When a deliverer may take it next: the retry time, or the end of the lease on an attempt in flight.
  next_attempt_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The log delivers an event at least once; its endpoint gets it once.
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';

-- The delivery log: every attempt, as the partner sees it in webhookDeliveries.
CREATE TABLE webhook_attempt (
  seq bigserial PRIMARY KEY,
  delivery_id text NOT NULL REFERENCES webhook_delivery (id),
  endpoint_id text NOT NULL REFERENCES webhook_endpoint (id),
  attempt integer NOT NULL,
  at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  succeeded boolean NOT NULL,
  status_code integer,
  error_kind text CHECK (error_kind IN ('timeout', 'connection_failed', 'target_refused')),
  next_retry_at timestamptz
);
CREATE INDEX webhook_attempt_endpoint ON webhook_attempt (endpoint_id, seq);
