import type { Queryable, Row } from '../../platform/database/database.ts';
import type { Location, Practitioner, Slot, SlotStatus, SlotTime } from './model.ts';

const toPractitioner = (row: Row): Practitioner => ({
  id: row.id as string,
  name: { family: row.family_name as string, given: row.given_names as string[] },
  specialty: row.specialty as string,
});

const toLocation = (row: Row): Location => ({ id: row.id as string, name: row.name as string, city: row.city as string });

/** The columns slot and appointment rows share. */
export const toSlotTime = (row: Row): SlotTime => ({
  practitionerId: row.practitioner_id as string,
  locationId: row.location_id as string,
  start: row.starts_at as Date,
  end: row.ends_at as Date,
  serviceType: row.service_type as string,
});

const toSlot = (row: Row): Slot => ({ id: row.id as string, ...toSlotTime(row), status: row.status as SlotStatus });

export interface SlotSearch {
  practitionerId?: string | null;
  locationId?: string | null;
  serviceType?: string | null;
  /** Start in [from, to). */
  from: Date;
  to: Date;
}

/** SQL for who offers care where and when: practitioners, locations and their slots. */
export class SchedulingStore {
  constructor(private readonly db: Queryable) {}

  async practitionersByIds(ids: readonly string[]): Promise<Practitioner[]> {
    return (await this.db.query('SELECT * FROM practitioner WHERE id = ANY($1)', [ids])).map(toPractitioner);
  }

  async allPractitioners(): Promise<Practitioner[]> {
    return (await this.db.query('SELECT * FROM practitioner ORDER BY id')).map(toPractitioner);
  }

  async locationsByIds(ids: readonly string[]): Promise<Location[]> {
    return (await this.db.query('SELECT * FROM location WHERE id = ANY($1)', [ids])).map(toLocation);
  }

  async allLocations(): Promise<Location[]> {
    return (await this.db.query('SELECT * FROM location ORDER BY id')).map(toLocation);
  }

  async slotsByIds(ids: readonly string[]): Promise<Slot[]> {
    return (await this.db.query('SELECT * FROM slot WHERE id = ANY($1)', [ids])).map(toSlot);
  }

  async freeSlots(search: SlotSearch, limit: number): Promise<Slot[]> {
    const params: unknown[] = [search.from, search.to];
    // A slot that has started can no longer be booked, so it is not offered either.
    const conditions = [`status = 'FREE'`, 'starts_at > now()', 'starts_at >= $1', 'starts_at < $2'];
    const equal = (column: string, value: string | null | undefined) => {
      if (value) conditions.push(`${column} = $${params.push(value)}`);
    };
    equal('practitioner_id', search.practitionerId);
    equal('location_id', search.locationId);
    equal('service_type', search.serviceType);
    const sql = `SELECT * FROM slot WHERE ${conditions.join(' AND ')} ORDER BY starts_at, id LIMIT $${params.push(limit)}`;
    return (await this.db.query(sql, params)).map(toSlot);
  }

  /**
   * Takes the slot if it is free and has not started, else null. The conditional UPDATE is the lock:
   * of concurrent transactions, the first takes the row and the others, once it commits, no longer
   * see it FREE. `now()` is the transaction's start, so a slot starting during the booking is still had.
   */
  async take(id: string): Promise<Slot | null> {
    const [row] = await this.db.query(`UPDATE slot SET status = 'BUSY' WHERE id = $1 AND status = 'FREE' AND starts_at > now() RETURNING *`, [id]);
    return row ? toSlot(row) : null;
  }

  /** Why `take` found nothing to take: no such slot, a slot that has started (taken or not), or one taken. */
  async whyNotTaken(id: string): Promise<'NOT_FOUND' | 'STARTED' | 'TAKEN'> {
    const [row] = await this.db.query<{ started: boolean }>('SELECT starts_at <= now() AS started FROM slot WHERE id = $1', [id]);
    if (!row) return 'NOT_FOUND';
    return row.started ? 'STARTED' : 'TAKEN';
  }

  async free(id: string): Promise<void> {
    await this.db.query(`UPDATE slot SET status = 'FREE' WHERE id = $1`, [id]);
  }
}
