import type { Queryable, Row } from '../../../platform/database/database.ts';
import { newId } from '../../../platform/ids.ts';
import type { RowScope } from '../../../platform/subgraph/row-scope.ts';
import type { Mismatch } from './find-mismatches.ts';

export interface OpenMismatch extends Mismatch {
  id: string;
  foundAt: Date;
}

/** The same disagreement found again by a later run: kind, field and the invoice it is about. */
const keyOf = (mismatch: Mismatch) =>
  [mismatch.kind, mismatch.field ?? '', mismatch.invoiceId ?? `odoo-${mismatch.odooInvoiceId}`].join(':');

const openMismatchOf = (row: Row): OpenMismatch => ({
  id: row.id as string,
  kind: row.kind as Mismatch['kind'],
  invoiceId: row.invoice_id as string | null,
  odooInvoiceId: row.odoo_move_id as number | null,
  patientId: row.patient_id as string | null,
  field: row.field as Mismatch['field'],
  billingValue: row.billing_value as string | null,
  odooValue: row.odoo_value as string | null,
  foundAt: row.found_at as Date,
});

/** SQL for the mismatches still open after the last reconciliation run. */
export class MismatchStore {
  constructor(private readonly db: Queryable) {}

  /** The open mismatches about the patients `scope` reaches (and those about no billing invoice, for staff). */
  async open(scope: RowScope): Promise<OpenMismatch[]> {
    const params: unknown[] = [];
    const visible = scope.condition({ patient: (id) => `patient_id = ${id}` }, params);
    const rows = await this.db.query(`SELECT * FROM reconciliation_mismatch WHERE ${visible} ORDER BY found_at, key`, params);
    return scope.released(rows, (row) => row.patient_id as string | null).map(openMismatchOf);
  }

  /** Makes `found` the open set: what a run no longer finds is resolved. Resolves with those not open before. */
  async replace(found: readonly Mismatch[]): Promise<OpenMismatch[]> {
    await this.db.query('DELETE FROM reconciliation_mismatch WHERE NOT (key = ANY($1))', [found.map(keyOf)]);
    const added: OpenMismatch[] = [];
    for (const mismatch of found) {
      const [row] = await this.db.query(
        `INSERT INTO reconciliation_mismatch (key, id, kind, invoice_id, odoo_move_id, patient_id, field, billing_value, odoo_value)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (key) DO UPDATE SET odoo_move_id = EXCLUDED.odoo_move_id, billing_value = EXCLUDED.billing_value, odoo_value = EXCLUDED.odoo_value
         RETURNING *, xmax = 0 AS added`,
        [keyOf(mismatch), newId('mis'), mismatch.kind, mismatch.invoiceId, mismatch.odooInvoiceId, mismatch.patientId, mismatch.field, mismatch.billingValue, mismatch.odooValue],
      );
      if (row?.added) added.push(openMismatchOf(row));
    }
    return added;
  }
}
