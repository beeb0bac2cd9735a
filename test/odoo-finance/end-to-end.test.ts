import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningSystem } from '../../launcher.ts';
import { startTestSystem } from '../support/test-system.ts';
import type { TokenRequest } from '../../gateway/authentication/embedded-issuer.ts';
import { readBillingLedger } from '../../subgraphs/odoo-finance/reconciliation/billing-ledger.ts';
import { reconcile } from '../../subgraphs/odoo-finance/reconciliation/reconcile.ts';
import { registerPayment } from '../odoo/invoicing.ts';
import { graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';
import { connectSubscriber, type EventSubscriber } from '../subscriptions/event-client.ts';

const soon = { timeout: 20_000, interval: 100 };

const REGISTER = `mutation($input: RegisterPatientInput!) { result: registerPatient(input: $input) { id } }`;
const SLOTS = `query($from: DateTime!, $to: DateTime!) { result: availableSlots(filter: { serviceType: "general-practice" }, from: $from, to: $to, first: 1) { id } }`;
const BOOK = `mutation($slotId: ID!, $patientId: ID!) { result: bookAppointment(slotId: $slotId, patientId: $patientId) { id } }`;
const CHECK_IN = `mutation($id: ID!) { result: checkInAppointment(id: $id) { id } }`;
const COMPLETE = `mutation($id: ID!) { result: completeEncounter(appointmentId: $id) { id status } }`;
const CHARGES = `query($id: ID!) { result: appointment(id: $id) { charges { id code amount { value } } } }`;
const ISSUE = `mutation($patientId: ID!, $chargeIds: [ID!]) { result: issueInvoice(patientId: $patientId, chargeIds: $chargeIds) { id total { value } } }`;
const IN_ODOO = `query($id: ID!) { result: invoice(id: $id) { status odooInvoice { id state paymentState residual { value } } } }`;
const REPORT_PAYMENT = `mutation($id: Int!) { result: reportOdooPaymentRegistered(odooPaymentId: $id) { id amount { value } } }`;
const BALANCES = `query($id: ID!) { result: patient(id: $id) { balance { value } financialAccount { openBalance { value } } invoices { status paid { value } } } }`;
const PAYMENTS = `subscription($patientId: ID!) {
  billingEvents(filter: { patientId: $patientId, types: [PAYMENT_POSTED] }) { type payment { id amount { value } method reference invoice { id balance { value } } } }
}`;

describe('from an encounter to a payment Odoo reports, across the whole system', () => {
  let system: RunningSystem;
  let subscriber: EventSubscriber;
  const headers: Record<string, Record<string, string>> = {};

  /** A call through the gateway as `role` that must succeed: its `result`. */
  async function as(role: TokenRequest['role'], query: string, variables: Record<string, unknown>) {
    const { data, errors } = await graphql(system.gateway.url, query, variables, headers[role]);
    expect(errors).toBeUndefined();
    return data!.result;
  }

  beforeAll(async () => {
    system = await startTestSystem({ gatewayPort: 0, seedDemoData: true });
    for (const role of ['front_desk', 'clinician', 'billing_specialist', 'odoo_service'] as const) headers[role] = await bearerFor({ role });
    subscriber = connectSubscriber(system.gateway.url.replace(/^http/, 'ws'), headers.billing_specialist!.authorization);
  });
  afterAll(async () => {
    await subscriber?.client.dispose();
    await system?.close();
  });

  it('captures, invoices, posts to Odoo, takes the payment Odoo reports, and tells the subscriber', async () => {
    const patient = await as('front_desk', REGISTER, { input: { name: { family: 'Okafor', given: ['Ada'] }, birthDate: '1984-02-29', gender: 'FEMALE' } });
    const payments = subscriber.subscribe(PAYMENTS, { patientId: patient.id });

    const now = Date.now();
    const [slot] = await as('front_desk', SLOTS, { from: new Date(now + 3_600_000).toISOString(), to: new Date(now + 14 * 86_400_000).toISOString() });
    const appointment = await as('front_desk', BOOK, { slotId: slot.id, patientId: patient.id });
    await as('front_desk', CHECK_IN, { id: appointment.id });
    expect(await as('clinician', COMPLETE, { id: appointment.id })).toMatchObject({ status: 'FULFILLED' });

    // Billing captures the encounter's charges on hearing encounter.completed.
    let charges: Array<{ id: string; code: string; amount: { value: number } }> = [];
    await vi.waitFor(async () => {
      charges = (await as('billing_specialist', CHARGES, { id: appointment.id })).charges;
      expect(charges).toEqual([expect.objectContaining({ code: '99213' })]);
    }, soon);
    const invoice = await as('billing_specialist', ISSUE, { patientId: patient.id, chargeIds: charges.map((charge) => charge.id) });
    expect(invoice.total.value).toBe(charges[0]!.amount.value);

    // The Odoo sync creates and posts the customer invoice on hearing invoice.issued.
    let odooInvoiceId = 0;
    await vi.waitFor(async () => {
      const { odooInvoice } = await as('billing_specialist', IN_ODOO, { id: invoice.id });
      expect(odooInvoice).toMatchObject({ state: 'POSTED', paymentState: 'NOT_PAID', residual: { value: invoice.total.value } });
      odooInvoiceId = odooInvoice.id;
    }, soon);

    // Finance registers the payment in Odoo; Odoo's module reports it, naming only the record.
    const registered = (await registerPayment(system.odoo, odooInvoiceId)) as { res_id: number };
    expect(await as('odoo_service', REPORT_PAYMENT, { id: registered.res_id })).toEqual({ id: registered.res_id, amount: { value: invoice.total.value } });

    await vi.waitFor(async () => {
      expect(await as('billing_specialist', BALANCES, { id: patient.id })).toEqual({
        balance: { value: 0 },
        financialAccount: { openBalance: { value: 0 } },
        invoices: [{ status: 'BALANCED', paid: { value: invoice.total.value } }],
      });
    }, soon);
    await vi.waitFor(() => expect(payments.results).toHaveLength(1), soon);
    expect(payments.failure()).toBeUndefined();
    expect(payments.results[0]).toEqual({
      data: {
        billingEvents: {
          type: 'PAYMENT_POSTED',
          payment: {
            id: `odoo-payment-${registered.res_id}`,
            amount: { value: invoice.total.value },
            method: 'BANK_TRANSFER',
            reference: `odoo:account.payment/${registered.res_id}`,
            invoice: { id: invoice.id, balance: { value: 0 } },
          },
        },
      },
    });

    // Billing and Odoo agree on the invoice: reconciliation finds nothing to say about it.
    const mismatches = await reconcile({
      db: system.subgraphs['odoo-finance'].database,
      odoo: system.odoo,
      billing: await readBillingLedger(system.subgraphs.billing.database),
    });
    expect(mismatches.filter((mismatch) => mismatch.invoiceId === invoice.id || mismatch.odooInvoiceId === odooInvoiceId)).toEqual([]);

    // Reported again (Odoo's module retrying): nothing is posted or announced twice.
    await as('odoo_service', REPORT_PAYMENT, { id: registered.res_id });
    // An announcement is written with the report's own transaction: by the answer, a second would be in the outbox.
    const announced = await system.subgraphs['odoo-finance'].database.query<{ sequence: number }>(
      'SELECT sequence FROM outbox_sequences WHERE aggregate_id = $1',
      [`odoo-payment-${registered.res_id}`],
    );
    expect(announced).toEqual([{ sequence: 1 }]);
    expect(payments.results).toHaveLength(1);
    expect((await as('billing_specialist', BALANCES, { id: patient.id })).invoices).toEqual([{ status: 'BALANCED', paid: { value: invoice.total.value } }]);
  }, 120_000);
});
