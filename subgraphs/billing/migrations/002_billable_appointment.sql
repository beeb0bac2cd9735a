-- The appointments billing has heard of (a projection of the appointments subgraph's events):
-- whose each one is, and whether its encounter took place. Charges are captured only on a
-- completed encounter of the patient they are for.
CREATE TABLE billable_appointment (
  appointment_id text PRIMARY KEY,
  patient_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('BOOKED', 'FULFILLED', 'CANCELLED', 'NOSHOW')),
  noted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX billable_appointment_patient ON billable_appointment (patient_id);
