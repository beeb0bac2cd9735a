-- What operations see of the sync and what reconciliation runs did.

-- The appointments an invoice bills, as invoice.issued announced them (none before it did).
ALTER TABLE invoice_link ADD COLUMN appointment_ids text[] NOT NULL DEFAULT '{}';
-- Pushes of the invoice (and its payments) to Odoo that failed since the last one that succeeded,
-- the last failure's stable code (never its message) and when the last push ended.
ALTER TABLE invoice_link ADD COLUMN push_failures integer NOT NULL DEFAULT 0;
ALTER TABLE invoice_link ADD COLUMN last_failure_code text;
ALTER TABLE invoice_link ADD COLUMN last_push_at timestamptz;
-- When the sync heard of the payment: how long it has waited for Odoo.
ALTER TABLE payment_link ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();

-- Every reconciliation run. A scheduled run is keyed by its slot, so of several replicas one runs
-- it; at most one run is under way at a time.
CREATE TABLE reconciliation_run (
  id text PRIMARY KEY,
  trigger text NOT NULL CHECK (trigger IN ('SCHEDULED', 'ON_DEMAND')),
  slot timestamptz UNIQUE,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  outcome text NOT NULL DEFAULT 'RUNNING' CHECK (outcome IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
  mismatches integer,
  error_code text,
  requested_by text,
  CHECK ((trigger = 'SCHEDULED') = (slot IS NOT NULL))
);
CREATE UNIQUE INDEX reconciliation_run_one_at_a_time ON reconciliation_run ((true)) WHERE outcome = 'RUNNING';
CREATE INDEX reconciliation_run_started ON reconciliation_run (started_at DESC);
