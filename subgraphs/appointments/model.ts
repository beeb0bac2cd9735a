import type { AvailableTime } from '../../platform/reference-data/available-time.ts';
/** The appointments subgraph's records, as its resolvers see them (FHIR Practitioner, Location, Slot, Appointment). */
export interface Practitioner {
  id: string;
  name: { family: string; given: string[] };
  specialty: string;
}

export interface Location {
  id: string;
  name: string;
  city: string;
}

export type SlotStatus = 'FREE' | 'BUSY';

/** Who sees the patient where, when, for what: a slot offers it and an appointment keeps a copy. */
export interface SlotTime {
  practitionerId: string;
  locationId: string;
  start: Date;
  end: Date;
  serviceType: string;
}

export interface Slot extends SlotTime {
  id: string;
  status: SlotStatus;
}

export type AppointmentStatus = 'BOOKED' | 'CONFIRMED' | 'ARRIVED' | 'FULFILLED' | 'CANCELLED' | 'NOSHOW';

export interface Appointment extends SlotTime {
  id: string;
  slotId: string;
  patientId: string;
  reason: string | null;
  status: AppointmentStatus;
  cancellationReason: string | null;
  bookedAt: Date;
}

/** Which appointments a query wants; absent criteria do not filter. */
export interface AppointmentCriteria {
  patientIds?: readonly string[];
  practitionerIds?: readonly string[];
  statuses?: readonly AppointmentStatus[];
  /** Start in [from, to). */
  from?: Date;
  to?: Date;
}

/** A practitioner's weekly availability at a location (FHIR Schedule): its slots are generated from it over the planning horizon. */
export interface Schedule {
  id: string;
  practitionerId: string;
  locationId: string;
  serviceType: string;
  slotMinutes: number;
  availableTime: AvailableTime[];
  /** Dates, YYYY-MM-DD: slots are generated on days in [start, end). */
  planningHorizon: { start: string; end: string };
}
