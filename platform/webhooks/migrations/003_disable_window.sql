-- An endpoint is disabled once every attempt has failed for a long window (WEBHOOK_DISABLE_AFTER_SECONDS),
-- not after a burst of failures: failing_since is the first failed attempt after the last success.
ALTER TABLE webhook_endpoint ADD COLUMN failing_since timestamptz;
-- A disabled endpoint still gets its deliveries, held until it is enabled again: matching an event
-- looks at every endpoint, not only the active ones.
DROP INDEX webhook_endpoint_event_types;
CREATE INDEX webhook_endpoint_event_types ON webhook_endpoint USING gin (event_types);
