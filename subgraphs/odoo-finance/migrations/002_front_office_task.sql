-- The tasks the graph gave the front office in Odoo: an activity (mail.activity) on the patient's
-- partner. Odoo deletes an activity once it is done, so what the person decided is kept here.
CREATE TABLE front_office_task (
  odoo_activity_id integer PRIMARY KEY,
  patient_id text NOT NULL,
  odoo_partner_id integer NOT NULL,
  summary text NOT NULL,
  deadline date NOT NULL,
  -- What the person may answer, as the first word of their feedback.
  choices text[] NOT NULL,
  status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'DONE', 'CANCELLED')),
  decision text,
  -- The message Odoo posted on the partner when the activity was marked done.
  odoo_message_id integer,
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
CREATE INDEX front_office_task_patient ON front_office_task (patient_id);
