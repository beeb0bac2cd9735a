-- The key search cursors are sealed with (platform/subgraph/cursors.ts): one row, made on first use.
CREATE TABLE cursor_key (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  key bytea NOT NULL
);
