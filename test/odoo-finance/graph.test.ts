import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf } from '../support/graphql.ts';
import {
  callers,
  eachVersion,
  invoiceIdOf,
  invoiceIssued,
  newInvoiceId,
  newPatientId,
  odooCalls,
  paymentPosted,
  startFinanceService,
  synced,
  type FinanceService,
} from './harness.ts';

const ODOO_INVOICE = `id number state paymentState settled total { value currency } residual { value } invoiceDate dueDate
  lines { label quantity unitPrice { value } subtotal { value } } payments { amount { value } state memo }`;
const INVOICES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Invoice { id odooInvoice { ${ODOO_INVOICE} } } } }`;
const ACCOUNTS = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Patient { id financialAccount { partner { ref } openBalance { value currency } invoices { id total { value } } } } } }`;
const invoices = (...ids: string[]) => ({ representations: ids.map((id) => ({ __typename: 'Invoice', id })) });
const patients = (...ids: string[]) => ({ representations: ids.map((id) => ({ __typename: 'Patient', id })) });

describe.each(eachVersion)('the odoo-finance subgraph on Odoo $version and $engine', ({ version, url }) => {
  let service: FinanceService;
  beforeAll(async () => {
    service = await startFinanceService(version, url);
  });
  afterAll(() => service?.close());

  /** A patient with an invoice of 165.50 paid 50, and one of 30. */
  async function patientWithInvoices() {
    const patientId = newPatientId();
    const partlyPaid = invoiceIssued(patientId, [12_000, 4_550]);
    const payment = paymentPosted(partlyPaid, 5_000);
    const unpaid = invoiceIssued(patientId, [3_000]);
    await synced(service.sync, partlyPaid, payment);
    await synced(service.sync, unpaid);
    return { patientId, partlyPaid, payment, unpaid };
  }

  it('answers Invoice.odooInvoice, null for an invoice not synced yet, with one Odoo call per model', async () => {
    const { partlyPaid, payment, unpaid } = await patientWithInvoices();
    const notSynced = newInvoiceId();
    service.proxy.requests.length = 0;
    const response = await service.call(INVOICES, invoices(invoiceIdOf(partlyPaid), notSynced, invoiceIdOf(unpaid)));

    expect(response.errors).toBeUndefined();
    const [first, none, second] = response.data!._entities;
    expect(first.odooInvoice).toMatchObject({
      state: 'POSTED',
      paymentState: 'PARTIAL',
      settled: false,
      total: { value: 165.5, currency: 'USD' },
      residual: { value: 115.5 },
      invoiceDate: '2026-03-02',
      dueDate: '2026-04-01',
      lines: [
        { label: '99210 Service 1', quantity: 1, unitPrice: { value: 120 }, subtotal: { value: 120 } },
        { label: '99211 Service 2', quantity: 1, unitPrice: { value: 45.5 }, subtotal: { value: 45.5 } },
      ],
      payments: [{ amount: { value: 50 }, state: 'POSTED', memo: payment.data.paymentId }],
    });
    expect(first.odooInvoice.number).toMatch(/^INV\/2026\/\d{5}$/);
    expect(none).toEqual({ id: notSynced, odooInvoice: null });
    expect(second.odooInvoice).toMatchObject({ total: { value: 30 }, lines: [{ label: '99210 Service 1' }], payments: [] });
    expect(odooCalls(service.proxy).sort()).toEqual(['account.move.line.read', 'account.move.read', 'account.payment.search_read']);
  });

  it(`says a settled invoice is ${version >= 18 ? 'IN_PAYMENT' : 'PAID'} on Odoo ${version}, and settled either way`, async () => {
    const issued = invoiceIssued(newPatientId(), [8_000]);
    await synced(service.sync, issued, paymentPosted(issued, 8_000));
    const response = await service.call(INVOICES, invoices(invoiceIdOf(issued)));
    expect(response.data!._entities[0].odooInvoice).toMatchObject({
      paymentState: version >= 18 ? 'IN_PAYMENT' : 'PAID',
      settled: true,
      residual: { value: 0 },
      payments: [{ amount: { value: 80 }, state: 'POSTED' }],
    });
  });

  it("answers Patient.financialAccount: the patient's account, what Odoo says is owed, the invoices newest first", async () => {
    const { patientId } = await patientWithInvoices();
    const withoutAccount = newPatientId();
    service.proxy.requests.length = 0;
    const response = await service.call(ACCOUNTS, patients(patientId, withoutAccount));

    expect(response.errors).toBeUndefined();
    const [account, none] = response.data!._entities;
    const [newest, oldest] = account.financialAccount.invoices;
    expect(account.financialAccount).toMatchObject({ partner: { ref: patientId }, openBalance: { value: 145.5, currency: 'USD' } });
    expect([newest.total.value, oldest.total.value]).toEqual([30, 165.5]);
    expect(newest.id).toBeGreaterThan(oldest.id);
    expect(none).toEqual({ id: withoutAccount, financialAccount: null });
    expect(odooCalls(service.proxy).sort()).toEqual(['account.move.search_read', 'res.partner.search_read']);
  });

  it("keeps a patient to their own finances, and callers without invoice scopes out", async () => {
    const { patientId } = await patientWithInvoices();
    const own = await service.call(ACCOUNTS, patients(patientId), callers.patient(patientId));
    expect(own.data!._entities[0].financialAccount.partner.ref).toBe(patientId);
    const another = await service.call(ACCOUNTS, patients(patientId), callers.patient(newPatientId()));
    expect([codesOf(another), another.data!._entities[0].financialAccount]).toEqual([['FORBIDDEN'], null]);
    const clinician = await service.call(ACCOUNTS, patients(patientId), callers.clinician);
    expect(codesOf(clinician)).toEqual(['FORBIDDEN']);
  });

  it('answers UPSTREAM_UNAVAILABLE on the Odoo fields alone while Odoo is down', async () => {
    const { patientId, unpaid } = await patientWithInvoices();
    const query = `query($representations: [_Any!]!) { reconciliation { id } _entities(representations: $representations) {
      ... on Invoice { id odooInvoice { id } } ... on Patient { id financialAccount { openBalance { value } } } } }`;
    const representations = [...invoices(invoiceIdOf(unpaid)).representations, ...patients(patientId).representations];
    service.odoo.setDown(true);
    try {
      const response = await service.call(query, { representations });
      expect(response.data).toEqual({
        reconciliation: [],
        _entities: [{ id: invoiceIdOf(unpaid), odooInvoice: null }, { id: patientId, financialAccount: null }],
      });
      expect(codesOf(response)).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
      expect(response.errors!.map((error) => error.message)).toEqual(['Odoo did not answer', 'Odoo did not answer']);
    } finally {
      service.odoo.setDown(false);
    }
  });
});
