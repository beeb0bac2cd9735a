-- Which key scheme (match-index.ts MATCH_KEY_SCHEME) each patient's blocking keys were computed
-- with. A patient with no row, or an older scheme, is re-keyed by `npm run mpi:dedupe` before it
-- scores: a registry keyed before the blocking keys changed gets the new keys. Kept beside the
-- patient row, not in it, so re-keying a million patients rewrites small rows only.
CREATE TABLE patient_match_keyed (
  patient_id text PRIMARY KEY REFERENCES patient (id),
  scheme integer NOT NULL
);
