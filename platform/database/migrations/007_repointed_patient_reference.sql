-- The references to a merged patient a service pointed to the survivor (patient.merged), by the
-- merge: an unmerge (patient.unmerged) points exactly these back.
CREATE TABLE repointed_patient_reference (
  merge_id text NOT NULL,
  table_name text NOT NULL,
  row_key text NOT NULL,
  merged_patient_id text NOT NULL,
  survivor_patient_id text NOT NULL,
  PRIMARY KEY (merge_id, table_name, row_key)
);

-- The merges a service has followed, and whether undone: a merge handled late (replayed from the
-- dead letters after its unmerge) moves nothing.
CREATE TABLE followed_patient_merge (
  merge_id text PRIMARY KEY,
  undone boolean NOT NULL
);
