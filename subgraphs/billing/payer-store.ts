import { insertRows } from '../../platform/database/bulk-insert.ts';
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

  /**
   * Every payer by id, locked against other writers of payers until the transaction ends (readers go
   * on), so two administrators cannot each add the same payer under a different id, unseen by the other.
   */
  async lockedPayers(): Promise<Map<string, Payer>> {
    await this.db.query('LOCK TABLE payer IN SHARE ROW EXCLUSIVE MODE');
    return new Map((await this.payers()).map((payer) => [payer.id, payer]));
  }

  /** Writes payers by id: one written again says what it says now. */
  async savePayers(payers: readonly Payer[]): Promise<void> {
    if (payers.length === 0) return;
    const rows = payers.map(({ id, name, identifier }) => [id, name, identifier]);
    await insertRows(this.db, 'payer', ['id', 'name', 'identifier'], rows, 'ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, identifier = EXCLUDED.identifier');
  }

  /** Writes fee schedule entries by code. Charges already captured keep the price they were captured at. */
  async saveFees(fees: readonly FeeScheduleEntry[]): Promise<void> {
    if (fees.length === 0) return;
    const rows = fees.map(({ code, description, amountCents }) => [code, description, amountCents]);
    await insertRows(this.db, 'fee_schedule', ['code', 'description', 'amount_cents'], rows, 'ON CONFLICT (code) DO UPDATE SET description = EXCLUDED.description, amount_cents = EXCLUDED.amount_cents');
  }
}
