CREATE TABLE practitioner (
  id text PRIMARY KEY,
  family_name text NOT NULL,
  given_names text[] NOT NULL,
  specialty text NOT NULL
);

CREATE TABLE location (
  id text PRIMARY KEY,
  name text NOT NULL,
  city text NOT NULL
);

CREATE TABLE slot (
  id text PRIMARY KEY,
  practitioner_id text NOT NULL REFERENCES practitioner (id),
  location_id text NOT NULL REFERENCES location (id),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  service_type text NOT NULL,
  status text NOT NULL CHECK (status IN ('FREE', 'BUSY')),
  CHECK (ends_at > starts_at)
);
-- availableSlots scans free slots in time order.
CREATE INDEX slot_free_start ON slot (starts_at, id) WHERE status = 'FREE';

CREATE TABLE appointment (
  id text PRIMARY KEY,
  slot_id text NOT NULL REFERENCES slot (id),
  -- Patients live in the patients subgraph: an id, not a foreign key.
  patient_id text NOT NULL,
  practitioner_id text NOT NULL REFERENCES practitioner (id),
  location_id text NOT NULL REFERENCES location (id),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  service_type text NOT NULL,
  reason text,
  status text NOT NULL CHECK (status IN ('BOOKED', 'CONFIRMED', 'ARRIVED', 'FULFILLED', 'CANCELLED', 'NOSHOW')),
  cancellation_reason text,
  booked_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz,
  arrived_at timestamptz,
  fulfilled_at timestamptz,
  cancelled_at timestamptz,
  no_show_at timestamptz
);
-- The last line of defence against double booking: the booking code takes the slot first.
CREATE UNIQUE INDEX appointment_active_slot ON appointment (slot_id) WHERE status <> 'CANCELLED';
CREATE INDEX appointment_patient ON appointment (patient_id, starts_at);
CREATE INDEX appointment_practitioner ON appointment (practitioner_id, starts_at);
CREATE INDEX appointment_start ON appointment (starts_at);
