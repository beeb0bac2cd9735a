import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../platform/database/migrations.ts';
import { openDatabase } from '../../platform/database/open.ts';
import type { BillingInvoice } from '../../subgraphs/odoo-finance/reconciliation/billing-ledger.ts';
import { reconcile } from '../../subgraphs/odoo-finance/reconciliation/reconcile.ts';
import { createInvoice, postInvoice } from '../odoo/invoicing.ts';
import { dropSchemas, uniqueName } from '../support/databases.ts';
import { codesOf } from '../support/graphql.ts';
import { callers, eachVersion, invoiceIdOf, invoiceIssued, newInvoiceId, newPatientId, odooMoveOf, outboxEvents, paymentPosted, startFinanceService, synced, type FinanceService } from './harness.ts';

const run = promisify(execFile);
const projectRoot = new URL('../../', import.meta.url);
const MISMATCHES = `{ reconciliation { id kind invoice { id } odooInvoiceId field billingValue odooValue foundAt } }`;

describe.each(eachVersion)('reconciliation of billing and Odoo on Odoo $version and $engine', ({ version, url }) => {
  let service: FinanceService;
  let ledger: BillingInvoice[];
  let expected: Array<Record<string, unknown>>;
  const missingInOdoo = { id: newInvoiceId(), patientId: newPatientId(), status: 'ISSUED', totalCents: 5_000, paidCents: 0 } as const;

  /** Billing's invoice as billing has it, and the same invoice synced to Odoo. */
  async function inBoth(billing: Partial<BillingInvoice>, odooCents = 10_000, odooPaymentCents = 0) {
    const issued = invoiceIssued(newPatientId(), [odooCents]);
    await synced(service.sync, issued, ...(odooPaymentCents > 0 ? [paymentPosted(issued, odooPaymentCents)] : []));
    const invoice: BillingInvoice = { id: invoiceIdOf(issued), patientId: issued.data.patientId, status: 'ISSUED', totalCents: odooCents, paidCents: odooPaymentCents, ...billing };
    return { issued, invoice };
  }

  beforeAll(async () => {
    service = await startFinanceService(version, url);
    const agreeing = await inBoth({});
    const settled = await inBoth({ status: 'BALANCED', paidCents: 8_000 }, 8_000, 8_000);
    const totalDiffers = await inBoth({ totalCents: 12_000 });
    const paidDiffers = await inBoth({ paidCents: 4_000 });
    const cancelledInOdoo = await inBoth({});
    await service.client.call('account.move', 'button_cancel', { ids: [await odooMoveOf(service.db, cancelledInOdoo.issued)] });
    // Finance invoiced the agreeing patient in Odoo alone.
    const [partner] = await service.db.query('SELECT odoo_partner_id FROM partner_link WHERE patient_id = $1', [agreeing.invoice.patientId]);
    const odooOnly = await createInvoice(service.client, partner!.odoo_partner_id as number);
    await postInvoice(service.client, odooOnly);

    ledger = [agreeing, settled, totalDiffers, paidDiffers, cancelledInOdoo].map(({ invoice }) => invoice).concat(missingInOdoo);
    const about = (invoice: BillingInvoice) => ({ invoiceId: invoice.id, patientId: invoice.patientId });
    expected = [
      { kind: 'AMOUNT_DIFFERS', ...about(totalDiffers.invoice), odooInvoiceId: await odooMoveOf(service.db, totalDiffers.issued), field: 'total', billingValue: '120', odooValue: '100' },
      { kind: 'AMOUNT_DIFFERS', ...about(paidDiffers.invoice), odooInvoiceId: await odooMoveOf(service.db, paidDiffers.issued), field: 'paid', billingValue: '40', odooValue: '0' },
      { kind: 'STATE_DIFFERS', ...about(cancelledInOdoo.invoice), odooInvoiceId: await odooMoveOf(service.db, cancelledInOdoo.issued), field: 'state', billingValue: 'ISSUED', odooValue: 'cancel' },
      { kind: 'MISSING_IN_ODOO', ...about(missingInOdoo), odooInvoiceId: null, field: null, billingValue: '50', odooValue: null },
      { kind: 'MISSING_IN_BILLING', invoiceId: null, patientId: agreeing.invoice.patientId, odooInvoiceId: odooOnly, field: null, billingValue: null, odooValue: '150' },
    ];
  });
  afterAll(() => service?.close());

  const withoutIdentity = ({ id: _id, foundAt: _foundAt, ...mismatch }: { id: string; foundAt: Date }) => mismatch;
  const byKindAndInvoice = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    `${String(a.kind)}${String(a.invoiceId)}`.localeCompare(`${String(b.kind)}${String(b.invoiceId)}`);

  it('finds each seeded mismatch once and nothing else, and announces each once', async () => {
    const first = await reconcile({ db: service.db, odoo: service.client, billing: ledger });
    expect(first.map(withoutIdentity).sort(byKindAndInvoice)).toEqual([...expected].sort(byKindAndInvoice));
    const announced = await outboxEvents(service.db, 'org.healthgraph.reconciliation.mismatch_found.v1');
    expect(announced.map((event) => event.data.mismatchId).sort()).toEqual(first.map((mismatch) => mismatch.id).sort());

    // A second run finds the same mismatches, still open under the same ids, and announces none again.
    const second = await reconcile({ db: service.db, odoo: service.client, billing: ledger });
    expect(second.map((mismatch) => mismatch.id).sort()).toEqual(first.map((mismatch) => mismatch.id).sort());
    expect(await outboxEvents(service.db, 'org.healthgraph.reconciliation.mismatch_found.v1')).toHaveLength(expected.length);
  });

  it('shows the open mismatches to billing staff only', async () => {
    await reconcile({ db: service.db, odoo: service.client, billing: ledger });
    const staff = await service.call(MISMATCHES, {}, callers.billingSpecialist);
    expect(staff.errors).toBeUndefined();
    expect(staff.data!.reconciliation.map((mismatch: { kind: string }) => mismatch.kind).sort()).toEqual(expected.map((mismatch) => mismatch.kind).sort());
    const missing = staff.data!.reconciliation.find((mismatch: { kind: string }) => mismatch.kind === 'MISSING_IN_ODOO');
    expect(missing).toMatchObject({ invoice: { id: missingInOdoo.id }, odooInvoiceId: null, billingValue: '50' });
    for (const outsider of [callers.odooService, callers.clinician]) {
      expect(codesOf(await service.call(MISMATCHES, {}, outsider))).toEqual(['FORBIDDEN']);
    }
  });

  it('closes a mismatch a later run no longer finds', async () => {
    const issued = invoiceIssued(missingInOdoo.patientId, [5_000], missingInOdoo.id);
    await synced(service.sync, issued);
    const open = await reconcile({ db: service.db, odoo: service.client, billing: ledger });
    expect(open.map((mismatch) => mismatch.kind).sort()).toEqual(['AMOUNT_DIFFERS', 'AMOUNT_DIFFERS', 'MISSING_IN_BILLING', 'STATE_DIFFERS']);
    expect(await outboxEvents(service.db, 'org.healthgraph.reconciliation.mismatch_found.v1')).toHaveLength(expected.length);
  });

  describe.runIf(url)('npm run reconcile', () => {
    const billingSchema = uniqueName('billing');
    beforeAll(async () => {
      const billing = await openDatabase({ url, schema: billingSchema });
      await migrate(billing, new URL('../../subgraphs/billing/migrations/', import.meta.url));
      for (const [index, invoice] of ledger.entries()) {
        await billing.query(
          `INSERT INTO invoice (id, number, patient_id, status, total_cents, paid_cents, issued_at, due_date) VALUES ($1, $2, $3, $4, $5, $6, now(), '2026-04-01')`,
          [invoice.id, `INV-2026-${index}`, invoice.patientId, invoice.status, invoice.totalCents, invoice.paidCents],
        );
        if (invoice.paidCents > 0) {
          await billing.query(`INSERT INTO payment (id, invoice_id, amount_cents, method, received_at) VALUES ($1, $2, $3, 'CARD', now())`, [`pmt-${index}`, invoice.id, invoice.paidCents]);
        }
      }
      await billing.close();
    });
    afterAll(() => dropSchemas(url, billingSchema));

    it("reads billing's schema, prints each open mismatch, and exits 1", async () => {
      const { odoo } = service;
      const env = { ...process.env, DATABASE_URL: url!, BILLING_SCHEMA: billingSchema, ODOO_FINANCE_SCHEMA: service.schema, ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_USER: odoo.login, ODOO_API_KEY: odoo.apiKey };
      const failure = await run(process.execPath, ['--import', 'tsx', 'scripts/reconcile.ts'], { cwd: projectRoot, env }).catch((error: { code: number; stdout: string }) => error);
      expect('code' in failure && failure.code).toBe(1);
      const lines = failure.stdout.trim().split('\n');
      expect(lines.at(-1)).toBe('4 mismatches');
      expect(lines.slice(0, -1).map((line) => line.split(' ')[0]).sort()).toEqual(['AMOUNT_DIFFERS', 'AMOUNT_DIFFERS', 'MISSING_IN_BILLING', 'STATE_DIFFERS']);
      expect(lines.find((line) => line.includes('field=total'))).toMatch(/billing=120 odooValue=100$/);
    });
  });
});
