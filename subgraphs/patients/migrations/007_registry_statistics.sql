-- What the registry's matcher weighs a pair against (registry-statistics.ts): the patients in use
-- and, per compared field, how often two of them share its value. One row, written by
-- `npm run mpi:dedupe` and counted again from a background connection once it is an hour old;
-- every match reads it instead of counting the whole registry (seconds at a million patients).
CREATE TABLE registry_statistics (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  records double precision NOT NULL,
  agreement jsonb NOT NULL,
  counted_at timestamptz NOT NULL DEFAULT now()
);
