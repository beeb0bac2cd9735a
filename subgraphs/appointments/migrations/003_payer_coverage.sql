-- Which payer covers whom, and when: a projection of the patients subgraph's coverage events, so a
-- payer sees its members' appointments only through a coverage active today, and only those dated
-- within it. Replaces payer_member, which knew neither status nor period: its rows are not carried
-- over (a membership without a period would make a member of anyone ever covered); the coverage
-- events or the demo seed fill this table.
CREATE TABLE payer_coverage (
  coverage_id text PRIMARY KEY,
  patient_id text NOT NULL,
  payer_id text NOT NULL,
  status text NOT NULL,
  period_start date NOT NULL,
  period_end date
);
CREATE INDEX payer_coverage_member ON payer_coverage (patient_id, payer_id);
DROP TABLE payer_member;
