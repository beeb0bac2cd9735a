-- npm run mpi:dedupe: how far a batch deduplication of the registry got, so a stopped run resumes.
CREATE TABLE dedupe_run (
  id text PRIMARY KEY,
  started_at timestamptz NOT NULL DEFAULT now(),
  -- Every patient up to this id (in id order) is indexed and compared with those before it.
  last_patient_id text,
  finished_at timestamptz,
  -- Pairs found so far, by grade: {"CERTAIN": n, "PROBABLE": n, "POSSIBLE": n}.
  pairs jsonb NOT NULL DEFAULT '{}'
);
