-- A practitioner's weekly availability at a location (FHIR Schedule); its slots are generated from it.
CREATE TABLE schedule (
  id text PRIMARY KEY,
  practitioner_id text NOT NULL REFERENCES practitioner (id),
  location_id text NOT NULL REFERENCES location (id),
  service_type text NOT NULL,
  slot_minutes integer NOT NULL CHECK (slot_minutes BETWEEN 5 AND 480),
  -- [{"daysOfWeek": ["MON", ...], "start": "09:00", "end": "12:00"}], UTC.
  available_time jsonb NOT NULL,
  horizon_start date NOT NULL,
  horizon_end date NOT NULL,
  CHECK (horizon_end > horizon_start)
);

-- Slots made before schedules existed (and slots of no schedule) keep a null schedule.
ALTER TABLE slot ADD COLUMN schedule_id text REFERENCES schedule (id);
CREATE INDEX slot_schedule ON slot (schedule_id, starts_at);
