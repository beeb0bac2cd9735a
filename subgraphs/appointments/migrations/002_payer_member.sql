-- Which payer covers which patient: a projection of the patients subgraph's coverage.added events,
-- so a payer sees its members' appointments. Fed by the payer-members reaction and the demo seed.
CREATE TABLE payer_member (
  patient_id text NOT NULL,
  payer_id text NOT NULL,
  PRIMARY KEY (payer_id, patient_id)
);
CREATE INDEX payer_member_patient ON payer_member (patient_id);
