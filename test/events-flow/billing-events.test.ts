import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../platform/events/envelope.ts';
import { newVisit, OPERATIONS, reasonOf, startBilling } from '../billing/harness.ts';
import { databaseEngines } from '../support/databases.ts';
import { serviceWithOutbox, shortType } from './outbox.ts';

const announced = (events: DomainEvent[]) => events.map((event) => [shortType(event), event.data]);

describe.each(databaseEngines)('billing events on $engine', ({ url }) => {
  const suite = serviceWithOutbox(() => startBilling(url));
  const { written } = suite;
  const billing = () => suite.service;

  it('announces each captured charge once per idempotency key, and nothing for a capture refused', async () => {
    const visit = await billing().completed(newVisit());
    const capture = { input: { ...visit, codes: ['99213', '36415'] }, key: 'capture-1' };
    const charges = await billing().result(OPERATIONS.capture, capture);
    expect(announced(await written())).toEqual(
      charges.map((charge: { id: string }) => ['charge.captured', { chargeId: charge.id, ...visit }]),
    );
    expect(await billing().result(OPERATIONS.capture, capture)).toEqual(charges);
    expect(reasonOf(await billing().call(OPERATIONS.capture, { input: { ...visit, codes: ['99213'] } }))).toBe('ALREADY_CAPTURED');
    expect(await written()).toEqual([]);
  });

  it('announces a claim when it is submitted and when it is adjudicated, not while it is a draft', async () => {
    const visit = newVisit();
    const [charge] = await billing().capture(visit, ['99214']);
    await written();
    const input = { patientId: visit.patientId, payerId: 'pay-02', memberId: 'M00012345', chargeIds: [charge!.id] };
    const claim = await billing().result(OPERATIONS.createClaim, { input });
    expect(await written()).toEqual([]);
    await billing().result(OPERATIONS.submitClaim, { claimId: claim.id });
    await billing().result(OPERATIONS.adjudicate, { input: { claimId: claim.id, outcome: 'ACCEPTED', approvedAmount: 100 } });
    expect(reasonOf(await billing().call(OPERATIONS.submitClaim, { claimId: claim.id }))).toBe('INVALID_TRANSITION');
    const about = { claimId: claim.id, patientId: visit.patientId, payerId: 'pay-02' };
    expect(announced(await written())).toEqual([
      ['claim.submitted', about],
      ['claim.adjudicated', { ...about, outcome: 'ACCEPTED' }],
    ]);
  });

  it('announces an invoice and a payment once per idempotency key, and nothing for an overpayment', async () => {
    const visit = newVisit();
    await billing().capture(visit, ['99212']);
    await written();
    const invoice = await billing().result(OPERATIONS.issueInvoice, { patientId: visit.patientId, key: 'invoice-1' });
    await billing().result(OPERATIONS.issueInvoice, { patientId: visit.patientId, key: 'invoice-1' });
    const payment = { input: { invoiceId: invoice.id, amount: 25, method: 'CARD' }, key: 'payment-1' };
    const posted = await billing().result(OPERATIONS.postPayment, payment);
    await billing().result(OPERATIONS.postPayment, payment);
    expect(reasonOf(await billing().call(OPERATIONS.postPayment, { input: { ...payment.input, amount: 1_000 } }))).toBe('OVERPAYMENT');
    // Beyond the ids, what the Odoo sync needs to mirror them in Odoo, and the visit an invoice bills.
    const line = { code: '99212', description: 'Office visit, established patient, straightforward', amountCents: 7500 };
    const issued = { number: invoice.number, issuedOn: invoice.issuedAt.slice(0, 10), dueDate: invoice.dueDate, totalCents: 7500, lines: [line], appointmentIds: [visit.appointmentId] };
    expect(announced(await written())).toEqual([
      ['invoice.issued', { invoiceId: invoice.id, patientId: visit.patientId, ...issued }],
      ['payment.posted', { paymentId: posted.id, invoiceId: invoice.id, patientId: visit.patientId, amountCents: 2500, receivedOn: posted.receivedAt.slice(0, 10), origin: 'billing' }],
    ]);
  });
});
