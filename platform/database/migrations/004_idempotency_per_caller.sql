-- A key is its caller's own, per operation: another caller's same key is another key, so a key never
-- tells one caller what another made. Keys stored before this belong to nobody: a retry across the
-- upgrade makes the thing again, as a key never used would.
ALTER TABLE idempotency_keys ADD COLUMN subject text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ADD COLUMN client_id text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (key, subject, client_id, operation);
ALTER TABLE idempotency_keys ALTER COLUMN subject DROP DEFAULT;
ALTER TABLE idempotency_keys ALTER COLUMN client_id DROP DEFAULT;
