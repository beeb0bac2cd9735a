import type { Queryable } from '../../platform/database/database.ts';
import type { FeeScheduleEntry, Payer } from './model.ts';
import { selectRecords } from './records.ts';

/** Payers and the fee schedule: reference data, which every caller sees; charges and claims are checked against it. */
export class PayerStore {
  constructor(private readonly db: Queryable) {}

  byIds(ids: readonly string[]): Promise<Payer[]> {
    return selectRecords(this.db, 'SELECT * FROM payer WHERE id = ANY($1)', [ids]);
  }

  payers(): Promise<Payer[]> {
    return selectRecords(this.db, 'SELECT * FROM payer ORDER BY name, id');
  }

  feeSchedule(): Promise<FeeScheduleEntry[]> {
    return selectRecords(this.db, 'SELECT * FROM fee_schedule ORDER BY code');
  }

  feesFor(codes: readonly string[]): Promise<FeeScheduleEntry[]> {
    return selectRecords(this.db, 'SELECT * FROM fee_schedule WHERE code = ANY($1)', [codes]);
  }
}
