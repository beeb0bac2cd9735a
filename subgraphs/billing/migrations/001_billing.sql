-- Amounts are integer cents: sums and comparisons stay exact, unlike floating point.
CREATE TABLE payer (
  id text PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE fee_schedule (
  code text PRIMARY KEY,
  description text NOT NULL,
  amount_cents integer NOT NULL CHECK (amount_cents >= 0)
);

-- Invoice numbers (INV-2026-000123) are drawn from one sequence: unique, never reused.
CREATE SEQUENCE invoice_number_sequence;

CREATE TABLE invoice (
  id text PRIMARY KEY,
  number text NOT NULL UNIQUE,
  patient_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('ISSUED', 'BALANCED', 'CANCELLED')),
  total_cents integer NOT NULL CHECK (total_cents >= 0),
  -- The last guard against overpayment, behind the row lock postPayment takes.
  paid_cents integer NOT NULL CHECK (paid_cents >= 0 AND paid_cents <= total_cents),
  issued_at timestamptz NOT NULL,
  due_date date NOT NULL
);
CREATE INDEX invoice_patient ON invoice (patient_id, issued_at DESC);

CREATE TABLE charge (
  id text PRIMARY KEY,
  appointment_id text NOT NULL,
  patient_id text NOT NULL,
  code text NOT NULL REFERENCES fee_schedule (code),
  description text NOT NULL,
  amount_cents integer NOT NULL CHECK (amount_cents >= 0),
  status text NOT NULL CHECK (status IN ('PENDING', 'INVOICED', 'VOID')),
  -- An invoice's lines are the charges that point to it.
  invoice_id text REFERENCES invoice (id),
  captured_at timestamptz NOT NULL,
  CHECK (status <> 'INVOICED' OR invoice_id IS NOT NULL)
);
-- One charge per code per appointment; a voided one may be captured again.
CREATE UNIQUE INDEX charge_appointment_code ON charge (appointment_id, code) WHERE status <> 'VOID';
CREATE INDEX charge_patient ON charge (patient_id, status);
CREATE INDEX charge_invoice ON charge (invoice_id);

CREATE TABLE claim (
  id text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('DRAFT', 'SUBMITTED', 'ACCEPTED', 'DENIED', 'PAID')),
  payer_id text NOT NULL REFERENCES payer (id),
  patient_id text NOT NULL,
  member_id text NOT NULL,
  total_cents integer NOT NULL CHECK (total_cents >= 0),
  approved_cents integer CHECK (approved_cents >= 0 AND approved_cents <= total_cents),
  denial_reason text,
  -- The payer's tracking number for the submission, to match its later answer.
  payer_reference text,
  created_at timestamptz NOT NULL,
  submitted_at timestamptz,
  adjudicated_at timestamptz
);
CREATE INDEX claim_patient ON claim (patient_id, created_at DESC);

CREATE TABLE claim_charge (
  claim_id text NOT NULL REFERENCES claim (id),
  charge_id text NOT NULL REFERENCES charge (id),
  PRIMARY KEY (claim_id, charge_id)
);
CREATE INDEX claim_charge_charge ON claim_charge (charge_id);

CREATE TABLE payment (
  id text PRIMARY KEY,
  invoice_id text NOT NULL REFERENCES invoice (id),
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  method text NOT NULL CHECK (method IN ('CARD', 'CASH', 'BANK_TRANSFER', 'INSURANCE')),
  reference text,
  received_at timestamptz NOT NULL
);
CREATE INDEX payment_invoice ON payment (invoice_id, received_at);
