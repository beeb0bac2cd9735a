import type { FeeScheduleEntry, Payer } from './model.ts';
import { selectRecords, TableStore } from './records.ts';

/** Payers and the fee schedule: the reference data charges and claims are checked against. */
export class PayerStore extends TableStore<Payer> {
  protected readonly table = 'payer';
  protected readonly rows = null;

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
