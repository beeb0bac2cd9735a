import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/database.ts';
import { migrate } from '../../platform/database/migrations.ts';
import { openDatabase } from '../../platform/database/open.ts';
import { seedAppointments, type Encounter } from '../../subgraphs/appointments/demo-seed.ts';
import { databaseEngines, dropSchemas, uniqueName } from '../support/databases.ts';
import { PATIENT_IDS } from './harness.ts';

/**
 * A fixed Monday, so the seed's dates can be named: its slots run from 2026-11-09 to 2026-12-04. This
 * suite only reads what the seed wrote and never books, so a calendar in the past does not matter.
 */
const ANCHOR = new Date('2026-11-23T00:00:00Z');

const migrations = new URL('../../subgraphs/appointments/migrations/', import.meta.url);

async function migrated(url: string | undefined, schema: string): Promise<Database> {
  const db = await openDatabase({ url, schema });
  await migrate(db, migrations);
  return db;
}

const count = async (db: Database, sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n ${sql}`, params))[0]!.n;

describe.each(databaseEngines)('the appointments demo seed on $engine', ({ url }) => {
  const schema = uniqueName('appointments_seed');
  let db: Database;
  let encounters: Encounter[];
  let statements: number;

  beforeAll(async () => {
    db = await migrated(url, schema);
    const before = db.statementCount;
    ({ encounters } = await seedAppointments(db, { patientIds: PATIENT_IDS, anchor: ANCHOR }));
    statements = db.statementCount - before;
  });
  afterAll(async () => {
    await db?.close();
    await dropSchemas(url, schema);
  });

  it('seeds a month in bulk: a handful of statements, not one per row', () => {
    // check; the reference data's import (a few statements per type, the slots in one); the slots read, the appointments written, the taken slots marked; the encounters
    expect(statements).toBeLessThanOrEqual(16);
  });

  it('seeds 12 practitioners at 4 locations with 30-minute weekday slots in two sessions', async () => {
    expect(await count(db, 'FROM practitioner')).toBe(12);
    expect(await count(db, 'FROM location')).toBe(4);
    // 20 weekdays, 14 slots a day, 12 practitioners
    expect(await count(db, 'FROM slot')).toBe(20 * 14 * 12);
    const outside = `FROM slot WHERE extract(isodow FROM starts_at AT TIME ZONE 'UTC') > 5
      OR (starts_at AT TIME ZONE 'UTC')::time NOT BETWEEN '09:00' AND '16:30' OR (starts_at AT TIME ZONE 'UTC')::time BETWEEN '12:00' AND '12:59'
      OR ends_at - starts_at <> interval '30 minutes' OR starts_at < '2026-11-09' OR starts_at >= '2026-12-05'`;
    expect(await count(db, outside)).toBe(0);
    const [slot] = await db.query('SELECT * FROM slot WHERE id = $1', ['slot-prac-05-2026-11-24T13:30']);
    expect(slot).toMatchObject({ practitioner_id: 'prac-05', location_id: 'loc-02', service_type: 'cardiology', starts_at: new Date('2026-11-24T13:30:00Z') });
    const serviceTypes = await db.query<{ service_type: string }>('SELECT DISTINCT service_type FROM slot ORDER BY 1');
    expect(serviceTypes.map((row) => row.service_type)).toEqual(['cardiology', 'dermatology', 'general-practice', 'orthopedics', 'pediatrics', 'physiotherapy']);
    const practitioners = await db.query<{ id: string }>('SELECT id FROM practitioner ORDER BY id');
    expect(practitioners.map((practitioner) => practitioner.id)).toEqual(Array.from({ length: 12 }, (_, n) => `prac-${String(n + 1).padStart(2, '0')}`));
  });

  it('books about half the past, mostly fulfilled, and about a third of the future', async () => {
    // Two weeks either side of the anchor: as many past slots as future ones.
    const slotsPerHalf = 20 * 14 * 12 / 2;
    const rows = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM appointment GROUP BY status');
    const byStatus = (status: string) => rows.find((row) => row.status === status)?.n ?? 0;
    const pastBooked = byStatus('FULFILLED') + byStatus('NOSHOW') + byStatus('CANCELLED');
    expect(pastBooked / slotsPerHalf).toBeGreaterThan(0.4);
    expect(pastBooked / slotsPerHalf).toBeLessThan(0.6);
    expect(byStatus('FULFILLED') / pastBooked).toBeGreaterThan(0.75);
    expect(byStatus('NOSHOW')).toBeGreaterThan(0);
    expect(byStatus('CANCELLED')).toBeGreaterThan(0);
    const futureBooked = byStatus('BOOKED') + byStatus('CONFIRMED');
    expect(futureBooked / slotsPerHalf).toBeGreaterThan(0.25);
    expect(futureBooked / slotsPerHalf).toBeLessThan(0.42);
    expect(byStatus('ARRIVED')).toBe(0);
    const pastStatus = `(starts_at < $1) <> (status IN ('FULFILLED', 'NOSHOW', 'CANCELLED'))`;
    expect(await count(db, `FROM appointment WHERE ${pastStatus}`, [ANCHOR])).toBe(0);
    expect(await count(db, 'FROM appointment WHERE NOT (patient_id = ANY($1))', [PATIENT_IDS])).toBe(0);
  });

  it('keeps slots and appointments consistent: a slot is BUSY exactly when a live appointment holds it', async () => {
    const inconsistent = `FROM slot s WHERE (s.status = 'BUSY') <> EXISTS (SELECT 1 FROM appointment a WHERE a.slot_id = s.id AND a.status <> 'CANCELLED')`;
    expect(await count(db, inconsistent)).toBe(0);
    expect(await count(db, `FROM appointment a JOIN slot s ON s.id = a.slot_id WHERE (a.starts_at, a.ends_at, a.service_type, a.practitioner_id) <> (s.starts_at, s.ends_at, s.service_type, s.practitioner_id)`)).toBe(0);
    expect(await count(db, `FROM appointment WHERE status = 'CANCELLED' AND (cancelled_at IS NULL OR cancellation_reason IS NULL)`)).toBe(0);
  });

  it('answers the fulfilled encounters, each completed at the end of its appointment', async () => {
    expect(encounters.length).toBe(await count(db, `FROM appointment WHERE status = 'FULFILLED'`));
    const [first] = encounters;
    expect(first).toEqual({ appointmentId: expect.stringMatching(/^apt-prac-\d\d-2026-11-\d\dT\d\d:\d\d$/), patientId: expect.stringMatching(/^pat-/), serviceType: expect.any(String), completedAt: expect.any(Date) });
    const [row] = await db.query('SELECT ends_at FROM appointment WHERE id = $1', [first!.appointmentId]);
    expect(row!.ends_at).toEqual(first!.completedAt);
  });

  it('does nothing a second time and answers the same encounters', async () => {
    const before = await count(db, 'FROM appointment');
    expect((await seedAppointments(db, { patientIds: ['pat-9999'], anchor: new Date('2027-01-04T00:00:00Z') })).encounters).toEqual(encounters);
    expect(await count(db, 'FROM appointment')).toBe(before);
  });

  it('seeds the same data for the same anchor and patients', async () => {
    const other = await migrated(undefined, 'appointments');
    try {
      expect((await seedAppointments(other, { patientIds: PATIENT_IDS, anchor: ANCHOR })).encounters).toEqual(encounters);
      const rows = (target: Database) => target.query('SELECT * FROM appointment ORDER BY id');
      expect(await rows(other)).toEqual(await rows(db));
    } finally {
      await other.close();
    }
  });
});
