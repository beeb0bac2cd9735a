CREATE SEQUENCE mrn_sequence START 100001;

CREATE TABLE patient (
  id text PRIMARY KEY,
  mrn text NOT NULL UNIQUE,
  family_name text NOT NULL,
  given_names text[] NOT NULL,
  birth_date date NOT NULL,
  gender text NOT NULL,
  national_identifier text,
  telecom jsonb NOT NULL DEFAULT '[]',
  address jsonb,
  registered_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Name search pages through (lower(family_name), id).
CREATE INDEX patient_family_name ON patient (lower(family_name), id);
CREATE INDEX patient_birth_date ON patient (birth_date);
CREATE INDEX patient_national_identifier ON patient (national_identifier);

CREATE TABLE coverage (
  id text PRIMARY KEY,
  patient_id text NOT NULL REFERENCES patient (id),
  payer_id text NOT NULL,
  member_id text NOT NULL,
  plan text NOT NULL,
  status text NOT NULL,
  period_start date NOT NULL,
  period_end date,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX coverage_patient ON coverage (patient_id);
CREATE INDEX coverage_member ON coverage (member_id);

CREATE TABLE consent (
  id text PRIMARY KEY,
  patient_id text NOT NULL REFERENCES patient (id),
  category text NOT NULL,
  decision text NOT NULL,
  status text NOT NULL,
  period_start date NOT NULL,
  period_end date,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_patient ON consent (patient_id);
