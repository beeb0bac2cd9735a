import type { Database } from '../../platform/database/database.ts';
import { conflict } from '../../platform/errors.ts';
import { checkedRows, type ImportReport, type ReferenceFile } from '../../platform/reference-data/rows.ts';
import type { Payer } from './model.ts';
import { duplicateOf } from './payer-duplicates.ts';
import { PayerStore } from './payer-store.ts';
import { validFee, validPayer } from './reference-validation.ts';

/** CONFLICT DUPLICATE_PAYER naming the payer already there; the ids are the organisation's, not patient data. */
export const duplicatePayer = (payer: Payer, existing: Payer) =>
  conflict('DUPLICATE_PAYER', `Payer ${payer.id} duplicates payer ${existing.id} (same name or identifier)`, { existingPayerId: existing.id, field: 'id' });

/**
 * Keeps `payer` to be written unless it duplicates another payer, of the database or written before
 * it (`known`, by id, which it then joins): then CONFLICT DUPLICATE_PAYER. A payer written again
 * under its own id is an update, not a duplicate.
 */
export function admitPayer(payer: Payer, known: Map<string, Payer>): Payer {
  const existing = duplicateOf(payer, known.values());
  if (existing) throw duplicatePayer(payer, existing);
  known.set(payer.id, payer);
  return payer;
}

/**
 * The file's payers (Organization) and fee schedule (ChargeItemDefinition), written by natural key
 * (id, code) in one transaction. Each payer is checked against the payers already there and those
 * of the file before it: a duplicate is rejected with DUPLICATE_PAYER and the rest written.
 */
export async function importBillingReferenceData(db: Database, file: ReferenceFile): Promise<ImportReport> {
  return db.transaction(async (tx) => {
    const store = new PayerStore(tx);
    const known = await store.lockedPayers();
    const payers = checkedRows(file.rows, ['Organization'], (input) => input.id, (row) => admitPayer(validPayer(row.input), known));
    const fees = checkedRows(file.rows, ['ChargeItemDefinition'], (input) => input.code, (row) => validFee(row.input));
    await store.savePayers(payers.valid.map(({ value }) => value));
    await store.saveFees(fees.valid.map(({ value }) => value));
    return { accepted: payers.valid.length + fees.valid.length, rejected: [...payers.rejected, ...fees.rejected].sort((a, b) => a.line - b.line) };
  });
}
