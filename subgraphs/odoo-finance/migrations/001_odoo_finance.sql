-- The odoo-finance subgraph's own records: which billing invoice and payment became which Odoo
-- record, and how the sync fared. Billing stays the system of record for what was billed.

-- One customer account (res.partner) per patient, found again in Odoo by ref = patient id.
CREATE TABLE partner_link (
  patient_id text PRIMARY KEY,
  odoo_partner_id integer NOT NULL UNIQUE,
  linked_at timestamptz NOT NULL DEFAULT now()
);

-- Billing's invoices as invoice.issued announced them, and the Odoo invoice (account.move) each became.
CREATE TABLE invoice_link (
  invoice_id text PRIMARY KEY,
  patient_id text NOT NULL,
  number text NOT NULL,
  issued_on date NOT NULL,
  due_date date NOT NULL,
  total_cents integer NOT NULL CHECK (total_cents >= 0),
  lines jsonb NOT NULL,
  odoo_move_id integer UNIQUE,
  -- Set once the sync has created and posted the invoice in Odoo.
  synced_at timestamptz,
  -- Odoo's side as last read, in Odoo's words: what a report from Odoo is compared with.
  odoo_state text,
  odoo_payment_state text,
  odoo_residual_cents integer
);
CREATE INDEX invoice_link_patient ON invoice_link (patient_id);

-- Payments either way: billing's, registered in Odoo by the sync (memo = payment id), and Odoo's
-- own, announced to the graph (payment id odoo-payment-<id>).
CREATE TABLE payment_link (
  payment_id text PRIMARY KEY,
  invoice_id text NOT NULL,
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  received_on date NOT NULL,
  origin text NOT NULL CHECK (origin IN ('billing', 'odoo')),
  odoo_payment_id integer UNIQUE
);
-- The sync only ever looks for billing's payments still to register.
CREATE INDEX payment_link_unregistered ON payment_link (invoice_id) WHERE odoo_payment_id IS NULL;

-- Every failed attempt at an event: operations see what does not sync, and the count says when
-- the event log dead-lettered it.
CREATE TABLE sync_attempt (
  seq bigserial PRIMARY KEY,
  event_id text NOT NULL,
  event_type text NOT NULL,
  failure_code text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_attempt_event ON sync_attempt (event_id);

-- Disagreements the last reconciliation run found, kept until a run no longer finds them.
CREATE TABLE reconciliation_mismatch (
  key text PRIMARY KEY,
  id text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('MISSING_IN_ODOO', 'MISSING_IN_BILLING', 'AMOUNT_DIFFERS', 'STATE_DIFFERS')),
  invoice_id text,
  odoo_move_id integer,
  patient_id text,
  field text,
  billing_value text,
  odoo_value text,
  found_at timestamptz NOT NULL DEFAULT now()
);
