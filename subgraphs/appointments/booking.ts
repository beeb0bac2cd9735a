import type { Queryable } from '../../platform/database/database.ts';
import { conflict, notFound, quotaExceeded } from '../../platform/errors.ts';
import { emit } from '../../platform/events/outbox.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';
import { quotas } from '../../policies/quotas.ts';
import { announceStatus } from './announcements.ts';
import { ACTIVE_SLOT_INDEX, AppointmentStore, type StatusChange } from './appointment-store.ts';
import { requireTransition } from './lifecycle.ts';
import type { Appointment, Slot } from './model.ts';
import { SchedulingStore } from './scheduling-store.ts';

const slotTaken = (slotId: string) => conflict('SLOT_TAKEN', `Slot ${slotId} is already booked`, { slotId });
/** Only slots still to come are booked; one under way or over, taken or not, is out of reach for good. */
const slotInPast = (slotId: string) => conflict('SLOT_IN_PAST', `Slot ${slotId} has already started`, { slotId });

/** The index should never fire, since the slot was taken first; if it does, it is the same conflict. */
async function orSlotTaken<T>(slotId: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if ((error as { constraint?: unknown }).constraint === ACTIVE_SLOT_INDEX) throw slotTaken(slotId);
    throw error;
  }
}

/**
 * The booking rules, run inside the caller's transaction: slots change hands together with
 * appointments, and each change is announced with them. Appointments and patients outside the
 * caller's `scope` are not found, as they are invisible to it.
 */
export class Booking {
  private readonly scheduling: SchedulingStore;
  private readonly appointments: AppointmentStore;

  constructor(
    private readonly tx: Queryable,
    scope: RowScope,
  ) {
    this.scheduling = new SchedulingStore(tx);
    this.appointments = new AppointmentStore(tx, scope);
  }

  async book(slotId: string, patientId: string, reason: string | null): Promise<string> {
    if (!(await this.appointments.patientInScope(patientId))) throw notFound('Patient', patientId);
    const slot = await this.take(slotId);
    if ((await this.appointments.lockedOpenCount(patientId)) >= quotas.openAppointmentsPerPatient) {
      // Thrown before the insert: the transaction rolls back, and the slot taken above is free again.
      throw quotaExceeded(
        'OPEN_APPOINTMENTS_PER_PATIENT',
        `A patient holds at most ${quotas.openAppointmentsPerPatient} appointments to come: cancel one, or book once one has passed`,
        quotas.openAppointmentsPerPatient,
      );
    }
    const appointmentId = await orSlotTaken(slotId, this.appointments.book(slot, patientId, reason));
    await emit(this.tx, 'org.healthgraph.appointment.booked.v1', { appointmentId, patientId, slotId });
    return appointmentId;
  }

  /** Cancelling frees the slot for someone else. */
  async changeStatus(id: string, to: StatusChange, cancellationReason: string | null = null): Promise<Appointment> {
    const current = await this.locked(id);
    requireTransition(current.status, to);
    if (to === 'CANCELLED') await this.scheduling.free(current.slotId);
    const changed = await this.appointments.changeStatus(id, to, cancellationReason);
    await announceStatus(this.tx, changed, to);
    return changed;
  }

  /** Takes the new slot before freeing the old one, so a taken or past slot leaves the appointment where it was. */
  async reschedule(id: string, slotId: string): Promise<Appointment> {
    const current = await this.locked(id);
    requireTransition(current.status, 'BOOKED');
    const slot = await this.take(slotId);
    await this.scheduling.free(current.slotId);
    const moved = await orSlotTaken(slotId, this.appointments.moveTo(id, slot));
    const { patientId, slotId: previousSlotId } = current;
    await emit(this.tx, 'org.healthgraph.appointment.rescheduled.v1', { appointmentId: id, patientId, previousSlotId, slotId });
    return moved;
  }

  private async take(slotId: string): Promise<Slot> {
    const slot = await this.scheduling.take(slotId);
    if (slot) return slot;
    const why = await this.scheduling.whyNotTaken(slotId);
    throw why === 'STARTED' ? slotInPast(slotId) : why === 'TAKEN' ? slotTaken(slotId) : notFound('Slot', slotId);
  }

  private async locked(id: string): Promise<Appointment> {
    const appointment = await this.appointments.lockById(id);
    if (!appointment) throw notFound('Appointment', id);
    return appointment;
  }
}
