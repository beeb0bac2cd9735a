import type { FaultSystem } from './system.ts';

const BOOK = `mutation Book($slotId: ID!, $patientId: ID!, $key: String) {
  bookAppointment(slotId: $slotId, patientId: $patientId, idempotencyKey: $key) { id }
}`;

/** Free slots and patients to book them for, from the appointments and patients databases. */
export async function bookable(system: FaultSystem, count: number): Promise<{ slotIds: string[]; patientIds: string[] }> {
  const appointments = await system.database('appointments');
  const patients = await system.database('patients');
  const slots = await appointments.query<{ id: string }>(`SELECT id FROM slot WHERE status = 'FREE' AND starts_at > now() + interval '1 hour' ORDER BY starts_at, id LIMIT $1`, [count]);
  const people = await patients.query<{ id: string }>('SELECT id FROM patient ORDER BY id LIMIT 20');
  return { slotIds: slots.map((slot) => slot.id), patientIds: people.map((patient) => patient.id) };
}

export interface BookingAnswer {
  status: number;
  appointmentId?: string;
  codes: string[];
}

/** One booking through the gateway; status 0 when no answer came. */
export async function book(system: FaultSystem, headers: Record<string, string>, slotId: string, patientId: string, key?: string): Promise<BookingAnswer> {
  try {
    const response = await fetch(system.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: BOOK, variables: { slotId, patientId, key } }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await response.json()) as { data?: { bookAppointment?: { id: string } } | null; errors?: { extensions?: { code?: string } }[] };
    return { status: response.status, appointmentId: body.data?.bookAppointment?.id, codes: (body.errors ?? []).map((error) => error.extensions?.code ?? 'NONE') };
  } catch {
    return { status: 0, codes: [] };
  }
}
