-- The audit trail: who saw which patient's which fields, why, and whether it was allowed.
-- Each row carries the hash of the row before it (previous_hash) and its own hash over its content
-- plus previous_hash, so any edit, deletion or reordering breaks the chain (npm run audit:verify).
CREATE TABLE audit_event (
  seq bigint PRIMARY KEY,
  request_id text NOT NULL,
  subject text NOT NULL,
  client_id text NOT NULL,
  roles text[] NOT NULL,
  purpose_of_use text,
  operation_name text,
  operation_hash text NOT NULL,
  operation_type text NOT NULL,
  patient_ids text[] NOT NULL,
  fields_returned text[] NOT NULL,
  fields_denied text[] NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('allowed', 'partially_denied', 'denied', 'error')),
  at timestamptz NOT NULL,
  previous_hash text NOT NULL,
  hash text NOT NULL
);
-- auditTrail: one patient's events in a time window (patient_ids @> ARRAY[id] AND at in range).
CREATE INDEX audit_event_patient_ids ON audit_event USING gin (patient_ids);
CREATE INDEX audit_event_at ON audit_event (at);

-- The end of the chain, one row. Every append locks it (SELECT ... FOR UPDATE), so writers in all
-- gateway replicas take turns and the chain never forks; seq comes from here rather than a sequence
-- so a rolled-back append leaves no gap. Verification also compares it with the last row, which
-- makes rows cut from the tail visible. The genesis hash is GENESIS_HASH in platform/audit/chain-hash.ts.
CREATE TABLE audit_chain_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_seq bigint NOT NULL,
  last_hash text NOT NULL
);
INSERT INTO audit_chain_head (last_seq, last_hash) VALUES (0, repeat('0', 64));

-- Append-only. The table owner or a superuser can still disable or drop these triggers and rewrite
-- rows; the hash chain is what makes such an edit visible afterwards.
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % refused: the audit trail is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_head_kept BEFORE DELETE OR TRUNCATE ON audit_chain_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
