-- Each onboarding as its workflow last announced it (workflows/graph/onboarding-listing.ts): the list
-- the front desk and operations follow, read here rather than from every workflow in the engine.
-- Ids, states, codes and times only. Times to the millisecond, so a cursor's position round-trips.
CREATE TABLE onboarding_listing (
  id text PRIMARY KEY,
  definition text NOT NULL,
  status text NOT NULL,
  waiting_on text,
  since timestamptz(3) NOT NULL,
  current_step text,
  patient_id text,
  reason text,
  started_at timestamptz(3) NOT NULL,
  updated_at timestamptz(3) NOT NULL,
  -- The count of the announcement written (0: queued): an older one never overwrites a newer.
  announced integer NOT NULL
);
CREATE INDEX onboarding_listing_newest ON onboarding_listing (status, started_at DESC, id DESC);
CREATE INDEX onboarding_listing_longest ON onboarding_listing (status, since, id);

-- The key list cursors are sealed with (platform/subgraph/cursors.ts): one row, made on first use.
CREATE TABLE cursor_key (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  key bytea NOT NULL
);
