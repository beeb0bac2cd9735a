-- The master patient index's candidate index: each patient's blocking keys (matching/blocking.ts),
-- hashed so the table holds no name, date or number in the clear. Kept in step with the patient
-- row on register and update; a patient registered before it is indexed by `npm run mpi:dedupe`.
CREATE TABLE patient_match_key (
  key text NOT NULL,
  patient_id text NOT NULL REFERENCES patient (id),
  PRIMARY KEY (key, patient_id)
);
CREATE INDEX patient_match_key_patient ON patient_match_key (patient_id);
