-- An operational action (a replay, a retry, an endpoint enabled, a reconciliation run) is a record
-- of its own naming what was done to which id, as `<action>:<target>`. Hashed only where present,
-- so earlier rows still verify.
ALTER TABLE audit_event ADD COLUMN actions text[];
CREATE INDEX audit_event_actions ON audit_event (at) WHERE actions IS NOT NULL;
