-- Possible duplicates for a data steward: opened when a registration probably matches a patient
-- already registered, and decisions already taken (a registration asserting a different person).
CREATE TABLE match_review (
  id text PRIMARY KEY,
  -- The newer record, and the registered patient it may duplicate.
  patient_id text NOT NULL REFERENCES patient (id),
  candidate_id text NOT NULL REFERENCES patient (id),
  grade text NOT NULL,
  score double precision NOT NULL,
  -- OPEN, NOT_DUPLICATE or LINKED.
  status text NOT NULL,
  opened_by text,
  opened_at timestamptz NOT NULL DEFAULT now(),
  decided_by text,
  decided_at timestamptz,
  UNIQUE (patient_id, candidate_id)
);
CREATE INDEX match_review_status ON match_review (status, opened_at, id);
