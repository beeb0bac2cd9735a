-- A data steward's merges of two records of one person (policies/survivorship.ts). The merged
-- record stays, marked replaced by the survivor (FHIR Patient.link replaced-by); an unmerge clears
-- the mark and gives back what the merge changed.
ALTER TABLE patient ADD COLUMN replaced_by text REFERENCES patient (id);

CREATE TABLE patient_merge (
  id text PRIMARY KEY,
  survivor_id text NOT NULL REFERENCES patient (id),
  merged_id text NOT NULL REFERENCES patient (id),
  -- The steward's words, as given: for the audit, never logged.
  reason text NOT NULL,
  merged_by text,
  merged_at timestamptz NOT NULL DEFAULT now(),
  -- The survivor's values the merge replaced (by field), and what it put there: an unmerge puts
  -- back a value still as the merge left it.
  survivor_before jsonb NOT NULL,
  survivor_after jsonb NOT NULL,
  -- The merged record's coverages and consents, moved to the survivor.
  coverage_ids text[] NOT NULL,
  consent_ids text[] NOT NULL,
  unmerge_reason text,
  unmerged_by text,
  unmerged_at timestamptz
);
-- A record is merged into one survivor at a time.
CREATE UNIQUE INDEX patient_merge_in_force ON patient_merge (merged_id) WHERE unmerged_at IS NULL;
CREATE INDEX patient_merge_survivor ON patient_merge (survivor_id) WHERE unmerged_at IS NULL;
