import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { domainEvent, type DomainEvent } from '../../platform/events/envelope.ts';
import { newVisit, OPERATIONS, startBilling, type BillingService } from '../billing/harness.ts';
import { openTestEventLog, type TestEventLog } from '../events/event-logs.ts';

const reactions = { maxAttempts: 3, backoff: { initialMs: 20, maxMs: 100 } };
const soon = { timeout: 10_000, interval: 50 };

describe('billing posting the payments finance registered in Odoo', () => {
  let events: TestEventLog;
  let billing: BillingService;
  let odooPaymentId = 500;

  beforeAll(async () => {
    events = await openTestEventLog(undefined);
    billing = await startBilling(undefined, { eventLog: events.log, reactions });
  });
  afterAll(async () => {
    await billing?.close();
    await events?.dispose();
  });

  /** An issued invoice of 150.00 (an office visit). */
  async function issuedInvoice() {
    const visit = newVisit();
    const charges = await billing.capture(visit, ['99213']);
    const invoice = await billing.result(OPERATIONS.issueInvoice, { patientId: visit.patientId, chargeIds: charges.map((charge) => charge.id) });
    return { invoiceId: invoice.id as string, patientId: visit.patientId, totalCents: Math.round(invoice.total.value * 100) };
  }
  /** What odoo-finance announces when Odoo reports a payment. */
  function registeredInOdoo(invoice: { invoiceId: string; patientId: string }, amountCents: number) {
    const id = odooPaymentId++;
    const data = { paymentId: `odoo-payment-${id}`, odooPaymentId: id, ...invoice, amountCents, receivedOn: '2026-12-01' };
    return { event: domainEvent('org.healthgraph.odoo.payment_registered.v1', data, id), data };
  }
  const invoiceOf = async (invoiceId: string) =>
    (await billing.subgraph.database.query<{ status: string; paid_cents: number }>('SELECT status, paid_cents FROM invoice WHERE id = $1', [invoiceId]))[0];
  const paymentsOf = (invoiceId: string) =>
    billing.subgraph.database.query<{ id: string; amount_cents: number; method: string; reference: string; received_at: Date }>(
      'SELECT id, amount_cents, method, reference, received_at FROM payment WHERE invoice_id = $1 ORDER BY id',
      [invoiceId],
    );
  const announcedPayments = async (invoiceId: string) =>
    (await billing.subgraph.database.query<{ event: DomainEvent }>('SELECT event FROM outbox ORDER BY seq'))
      .map((row) => row.event)
      .filter((event) => event.type === 'org.healthgraph.payment.posted.v1' && event.data.invoiceId === invoiceId)
      .map((event) => event.data);
  /** The group handles events in order: once a later event is handled, every earlier one was. */
  async function handledThrough(invoice: { invoiceId: string; patientId: string }) {
    const marker = registeredInOdoo(invoice, 1);
    await events.log.append(marker.event);
    await vi.waitFor(async () => expect((await paymentsOf(invoice.invoiceId)).map((payment) => payment.id)).toContain(marker.data.paymentId), soon);
  }

  it("posts Odoo's payment under its id and Odoo's date, and announces it as Odoo's, once", async () => {
    const invoice = await issuedInvoice();
    const registered = registeredInOdoo(invoice, invoice.totalCents);
    await events.log.append(registered.event);
    await vi.waitFor(async () => expect(await invoiceOf(invoice.invoiceId)).toEqual({ status: 'BALANCED', paid_cents: invoice.totalCents }), soon);
    expect(await paymentsOf(invoice.invoiceId)).toEqual([
      {
        id: registered.data.paymentId,
        amount_cents: invoice.totalCents,
        method: 'BANK_TRANSFER',
        reference: `odoo:account.payment/${registered.data.odooPaymentId}`,
        received_at: new Date('2026-12-01T00:00:00Z'),
      },
    ]);
    expect(await announcedPayments(invoice.invoiceId)).toEqual([
      {
        paymentId: registered.data.paymentId,
        invoiceId: invoice.invoiceId,
        patientId: invoice.patientId,
        amountCents: invoice.totalCents,
        receivedOn: '2026-12-01',
        origin: 'odoo',
        odooPaymentId: registered.data.odooPaymentId,
      },
    ]);
  });

  it('posts nothing twice when the event is delivered again', async () => {
    const invoice = await issuedInvoice();
    const registered = registeredInOdoo(invoice, 5_000);
    await events.log.append(registered.event);
    await events.log.append(registered.event);
    await handledThrough(invoice);
    expect((await paymentsOf(invoice.invoiceId)).map((payment) => payment.amount_cents).sort()).toEqual([1, 5_000]);
    expect(await announcedPayments(invoice.invoiceId)).toHaveLength(2);
    expect(await events.log.deadLetters('billing-odoo-payments')).toEqual([]);
  });

  it('leaves a payment over the balance to reconciliation, without retrying or dead-lettering it', async () => {
    const invoice = await issuedInvoice();
    await events.log.append(registeredInOdoo(invoice, invoice.totalCents + 100).event);
    await handledThrough(invoice);
    expect((await paymentsOf(invoice.invoiceId)).map((payment) => payment.amount_cents)).toEqual([1]);
    expect(await invoiceOf(invoice.invoiceId)).toEqual({ status: 'ISSUED', paid_cents: 1 });
    expect(await events.log.deadLetters('billing-odoo-payments')).toEqual([]);
  });
});
