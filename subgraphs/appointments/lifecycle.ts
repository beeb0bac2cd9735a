import { conflict } from '../../platform/errors.ts';
import type { AppointmentStatus } from './model.ts';

/** FHIR's appointment lifecycle as this organisation runs it. BOOKED again is a reschedule. */
const nextStatuses: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  BOOKED: ['BOOKED', 'CONFIRMED', 'ARRIVED', 'CANCELLED', 'NOSHOW'],
  CONFIRMED: ['BOOKED', 'ARRIVED', 'CANCELLED', 'NOSHOW'],
  ARRIVED: ['FULFILLED'],
  FULFILLED: [],
  CANCELLED: [],
  NOSHOW: [],
};

export function requireTransition(from: AppointmentStatus, to: AppointmentStatus): void {
  if (!nextStatuses[from].includes(to)) {
    throw conflict('INVALID_TRANSITION', `An appointment cannot go from ${from} to ${to}`, { from, to });
  }
}
