import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseEngines } from '../support/databases.ts';
import { codesOf } from '../support/graphql.ts';
import { newVisit, OPERATIONS, reasonOf, startBilling, type BillingService } from './harness.ts';

const DAY_MS = 86_400_000;

describe.each(databaseEngines)('invoices and payments on $engine', ({ url }) => {
  let billing: BillingService;
  beforeAll(async () => {
    billing = await startBilling(url);
  });
  afterAll(() => billing?.close());

  /** An invoice for a fresh patient's visit with these codes. */
  async function invoiced(codes: string[]) {
    const visit = newVisit();
    await billing.capture(visit, codes);
    return { visit, invoice: await billing.result(OPERATIONS.issueInvoice, { patientId: visit.patientId }) };
  }
  const pay = (invoiceId: string, amount: number, extra: Record<string, unknown> = {}) =>
    billing.call(OPERATIONS.postPayment, { input: { invoiceId, amount, method: 'CARD', ...extra } });
  const balanceOf = async (patientId: string) => (await billing.call(OPERATIONS.patient, { id: patientId })).data!._entities[0].balance;

  it('invoices pending charges, takes a partial then a full payment, and balances', async () => {
    const { visit, invoice } = await invoiced(['99214', '36415']);
    expect(invoice).toMatchObject({ status: 'ISSUED', total: { value: 177 }, paid: { value: 0 }, balance: { value: 177 }, patient: { id: visit.patientId }, payments: [] });
    expect(invoice.number).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(invoice.number.slice(4, 8)).toBe(invoice.issuedAt.slice(0, 4));
    expect(invoice.dueDate).toBe(new Date(Date.parse(invoice.issuedAt) + 30 * DAY_MS).toISOString().slice(0, 10));
    expect(invoice.lines.map((line: { description: string; amount: { value: number }; charge: { status: string } }) => [line.amount.value, line.charge.status])).toEqual([
      [12, 'INVOICED'],
      [165, 'INVOICED'],
    ]);
    expect(await balanceOf(visit.patientId)).toEqual({ value: 177, currency: 'USD' });

    const partial = (await pay(invoice.id, 77.5, { reference: 'REF-1' })).data!.result;
    expect(partial).toMatchObject({ amount: { value: 77.5, currency: 'USD' }, method: 'CARD', reference: 'REF-1', invoice: { status: 'ISSUED', paid: { value: 77.5 }, balance: { value: 99.5 } } });
    expect(await balanceOf(visit.patientId)).toEqual({ value: 99.5, currency: 'USD' });

    const full = (await pay(invoice.id, 99.5, { method: 'CASH' })).data!.result;
    expect(full.invoice).toMatchObject({ status: 'BALANCED', paid: { value: 177 }, balance: { value: 0 } });
    expect(await balanceOf(visit.patientId)).toEqual({ value: 0, currency: 'USD' });
    const after = (await billing.call(`{ invoice(id: "${invoice.id}") { status payments { amount { value } method } } }`)).data!.invoice;
    expect(after).toEqual({ status: 'BALANCED', payments: [{ amount: { value: 77.5 }, method: 'CARD' }, { amount: { value: 99.5 }, method: 'CASH' }] });
  });

  it('refuses an overpayment and a payment on a balanced invoice, changing nothing', async () => {
    const { invoice } = await invoiced(['99212']);
    const over = await pay(invoice.id, 75.01);
    expect([codesOf(over), reasonOf(over)]).toEqual([['CONFLICT'], 'OVERPAYMENT']);
    expect(over.errors![0]!.extensions!.balance).toEqual({ value: 75, currency: 'USD' });
    expect(await billing.count('SELECT count(*) FROM payment WHERE invoice_id = $1', [invoice.id])).toBe(0);
    await pay(invoice.id, 75);
    const closed = await pay(invoice.id, 1);
    expect([codesOf(closed), reasonOf(closed)]).toEqual([['CONFLICT'], 'INVOICE_NOT_ISSUED']);
    expect(codesOf(await pay('inv-unknown', 1))).toEqual(['NOT_FOUND']);
  });

  it('shows each of several payments in one request the invoice as that payment left it', async () => {
    const { invoice } = await invoiced(['99213']);
    const fields = 'invoice { paid { value } status }';
    const response = await billing.call(
      `mutation($id: ID!) { first: postPayment(input: { invoiceId: $id, amount: 10, method: CARD }) { ${fields} }
        second: postPayment(input: { invoiceId: $id, amount: 100, method: CASH }) { ${fields} } }`,
      { id: invoice.id },
    );
    expect(response.data).toEqual({ first: { invoice: { paid: { value: 10 }, status: 'ISSUED' } }, second: { invoice: { paid: { value: 110 }, status: 'BALANCED' } } });
  });

  it('invoices only the named charges, which must be pending and the patient’s', async () => {
    const visit = newVisit();
    const [visitCharge, ecg] = await billing.capture(visit, ['99213', '93000']);
    const issue = (chargeIds: string[] | null, patientId = visit.patientId) => billing.call(OPERATIONS.issueInvoice, { patientId, chargeIds });

    const first = (await issue([ecg!.id])).data!.result;
    expect(first.lines.map((line: { charge: { id: string } }) => line.charge.id)).toEqual([ecg!.id]);
    const again = await issue([ecg!.id]);
    expect([codesOf(again), reasonOf(again)]).toEqual([['CONFLICT'], 'CHARGE_NOT_PENDING']);
    const foreign = await issue([visitCharge!.id], 'pat-someone-else');
    expect([codesOf(foreign), reasonOf(foreign)]).toEqual([['BAD_USER_INPUT'], 'CHARGE_OF_ANOTHER_PATIENT']);
    expect(codesOf(await issue(['chg-unknown']))).toEqual(['NOT_FOUND']);

    const rest = (await issue(null)).data!.result;
    expect(rest.total).toEqual({ value: 110 });
    for (const chargeIds of [null, []]) {
      const nothing = await issue(chargeIds);
      expect([codesOf(nothing), reasonOf(nothing)]).toEqual([['BAD_USER_INPUT'], 'NOTHING_TO_INVOICE']);
    }
    const invoices = (await billing.call(OPERATIONS.patient, { id: visit.patientId })).data!._entities[0].invoices;
    expect(invoices.map((invoice: { id: string }) => invoice.id).sort()).toEqual([first.id, rest.id].sort());
  });

  it('keeps money exact: float noise rounds to cents, a real third decimal or a negative is refused', async () => {
    const { invoice } = await invoiced(['36415']);
    expect((await pay(invoice.id, 0.1)).data!.result.invoice.paid).toEqual({ value: 0.1 });
    expect((await pay(invoice.id, 0.2)).data!.result.invoice.paid).toEqual({ value: 0.3 });
    expect((await pay(invoice.id, 0.1 + 0.2)).data!.result).toMatchObject({ amount: { value: 0.3 }, invoice: { paid: { value: 0.6 }, balance: { value: 11.4 } } });
    for (const amount of [0.301, -1, 0, 1e12]) {
      const refused = await pay(invoice.id, amount);
      expect(codesOf(refused), String(amount)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0]!.extensions!.field).toBe('amount');
    }
    expect(await billing.count('SELECT paid_cents FROM invoice WHERE id = $1', [invoice.id])).toBe(60);
    expect((await pay(invoice.id, 11.4)).data!.result.invoice).toMatchObject({ status: 'BALANCED', balance: { value: 0 } });
  });
});
