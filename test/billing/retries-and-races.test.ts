import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../platform/ids.ts';
import { databaseEngines } from '../support/databases.ts';
import { codesOf, type GraphQLResponse } from '../support/graphql.ts';
import { newVisit, OPERATIONS, reasonOf, startBilling, type BillingService } from './harness.ts';

const outcomes = (responses: GraphQLResponse[]) => responses.map((response) => (response.errors ? reasonOf(response) : 'OK')).sort();

describe.each(databaseEngines)('idempotent retries and concurrent writes on $engine', ({ url }) => {
  let billing: BillingService;
  beforeAll(async () => {
    billing = await startBilling(url);
  });
  afterAll(() => billing?.close());

  const capture = (input: Record<string, unknown>, key?: string) => billing.call(OPERATIONS.capture, { input, key });
  const pay = (invoiceId: string, amount: number, key?: string) => billing.call(OPERATIONS.postPayment, { input: { invoiceId, amount, method: 'CARD' }, key });
  const ids = (response: GraphQLResponse) => response.data!.result.map((charge: { id: string }) => charge.id);

  it('captures once per idempotency key, and once per code per appointment', async () => {
    const visit = await billing.completed(newVisit());
    const key = newId('key');
    const first = await capture({ ...visit, codes: ['99213', '93000'] }, key);
    const retry = await capture({ ...visit, codes: ['99213', '93000'] }, key);
    expect(ids(retry)).toEqual(ids(first));
    expect(await billing.count('SELECT count(*) FROM charge WHERE appointment_id = $1', [visit.appointmentId])).toBe(2);

    const reused = await capture({ ...visit, codes: ['36415'] }, key);
    expect([codesOf(reused), reasonOf(reused)]).toEqual([['CONFLICT'], 'IDEMPOTENCY_KEY_REUSED']);
    const twice = await capture({ ...visit, codes: ['93000'] });
    expect([codesOf(twice), reasonOf(twice)]).toEqual([['CONFLICT'], 'ALREADY_CAPTURED']);
    expect(twice.errors![0]!.extensions!.codes).toEqual(['93000']);
    const otherPatient = await capture({ ...visit, patientId: 'pat-other', codes: ['36415'] });
    expect(reasonOf(otherPatient)).toBe('APPOINTMENT_OF_ANOTHER_PATIENT');
    const unknown = await capture({ ...visit, codes: ['36415', '00000'] });
    expect([codesOf(unknown), reasonOf(unknown), unknown.errors![0]!.extensions!.codes]).toEqual([['BAD_USER_INPUT'], 'UNKNOWN_CODE', ['00000']]);
    expect(reasonOf(await capture({ ...visit, codes: ['36415', '36415'] }))).toBe('DUPLICATE');
    expect(codesOf(await capture({ ...visit, codes: [] }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await capture({ ...visit, appointmentId: '  ', codes: ['36415'] }))).toEqual(['BAD_USER_INPUT']);
    expect(await billing.count('SELECT count(*) FROM charge WHERE appointment_id = $1', [visit.appointmentId])).toBe(2);
  });

  it('answers a retried createClaim, issueInvoice or postPayment with the first result', async () => {
    const visit = newVisit();
    const charges = await billing.capture(visit, ['99214']);
    const claimInput = { patientId: visit.patientId, payerId: 'pay-03', memberId: 'M9', chargeIds: [charges[0]!.id] };
    const claimKey = newId('key');
    const claim = await billing.result(OPERATIONS.createClaim, { input: claimInput, key: claimKey });
    expect((await billing.result(OPERATIONS.createClaim, { input: claimInput, key: claimKey })).id).toBe(claim.id);

    const invoiceKey = newId('key');
    const invoice = await billing.result(OPERATIONS.issueInvoice, { patientId: visit.patientId, key: invoiceKey });
    expect((await billing.result(OPERATIONS.issueInvoice, { patientId: visit.patientId, key: invoiceKey })).id).toBe(invoice.id);
    expect(reasonOf(await billing.call(OPERATIONS.issueInvoice, { patientId: 'pat-other', key: invoiceKey }))).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await billing.count('SELECT count(*) FROM invoice WHERE patient_id = $1', [visit.patientId])).toBe(1);

    const paymentKey = newId('key');
    const payment = (await pay(invoice.id, 65, paymentKey)).data!.result;
    const retried = (await pay(invoice.id, 65, paymentKey)).data!.result;
    expect(retried).toMatchObject({ id: payment.id, invoice: { paid: { value: 65 } } });
    expect(reasonOf(await pay(invoice.id, 66, paymentKey))).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await billing.count('SELECT count(*) FROM payment WHERE invoice_id = $1', [invoice.id])).toBe(1);
  });

  it('never puts one charge on two invoices when issues race', async () => {
    const patientId = newId('pat');
    const first = await billing.capture(newVisit(patientId), ['99213', '93000', '36415']);
    await billing.capture(newVisit(patientId), ['99212', '90471']);
    const racing = await Promise.all([
      ...Array.from({ length: 6 }, () => billing.call(OPERATIONS.issueInvoice, { patientId })),
      billing.call(OPERATIONS.issueInvoice, { patientId, chargeIds: [first[0]!.id, first[1]!.id] }),
    ]);
    expect(outcomes(racing).filter((outcome) => outcome !== 'OK').every((outcome) => ['NOTHING_TO_INVOICE', 'CHARGE_NOT_PENDING'].includes(outcome!))).toBe(true);
    expect(await billing.count(`SELECT count(*) FROM charge WHERE patient_id = $1 AND status <> 'INVOICED'`, [patientId])).toBe(0);
    // Each invoice's total is exactly its own lines, and together they bill each charge once.
    const mismatched = await billing.count(
      `SELECT count(*) FROM invoice i WHERE patient_id = $1 AND total_cents <> (SELECT coalesce(sum(amount_cents), 0) FROM charge c WHERE c.invoice_id = i.id)`,
      [patientId],
    );
    expect(mismatched).toBe(0);
    expect(await billing.count('SELECT sum(total_cents) FROM invoice WHERE patient_id = $1', [patientId])).toBe(11000 + 4500 + 1200 + 7500 + 2500);
  });

  it('never overpays when payments race, and captures a code once when captures race', async () => {
    const visit = newVisit();
    await billing.capture(visit, ['99214']);
    const invoice = await billing.result(OPERATIONS.issueInvoice, { patientId: visit.patientId });
    const payments = await Promise.all(Array.from({ length: 6 }, () => pay(invoice.id, 50)));
    expect(outcomes(payments)).toEqual(['OK', 'OK', 'OK', 'OVERPAYMENT', 'OVERPAYMENT', 'OVERPAYMENT']);
    expect(await billing.count('SELECT paid_cents FROM invoice WHERE id = $1', [invoice.id])).toBe(15000);
    expect(await billing.count('SELECT sum(amount_cents) FROM payment WHERE invoice_id = $1', [invoice.id])).toBe(15000);

    const key = newId('key');
    const sameKey = await Promise.all(Array.from({ length: 4 }, () => pay(invoice.id, 15, key)));
    expect(new Set(sameKey.map((response) => response.data!.result.id)).size).toBe(1);
    expect(await billing.count('SELECT paid_cents FROM invoice WHERE id = $1', [invoice.id])).toBe(16500);

    const other = await billing.completed(newVisit());
    const captures = await Promise.all(Array.from({ length: 5 }, () => capture({ ...other, codes: ['99213'] })));
    expect(outcomes(captures)).toEqual(['ALREADY_CAPTURED', 'ALREADY_CAPTURED', 'ALREADY_CAPTURED', 'ALREADY_CAPTURED', 'OK']);
  });
});
