import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteAppointments } from '../../subgraphs/billing/billable-appointments.ts';
import { seedPayers } from '../../subgraphs/billing/demo-seed.ts';
import { SimulatedPayer } from '../../subgraphs/billing/payers/simulated-payer.ts';
import { billingSubgraphWith } from '../../subgraphs/billing/subgraph.ts';
import { newVisit, OPERATIONS } from '../billing/harness.ts';
import { adminCaller } from '../support/gateway-stand-in.ts';
import { codesOf } from '../support/graphql.ts';
import { patientCaller, payerCaller, startScoped, type Call, type ScopedSubgraph } from './harness.ts';

const ROWS = `query($charge: ID!, $claim: ID!) { charge(id: $charge) { id } claim(id: $claim) { id charges { id } } }`;
const INVOICE = 'query($id: ID!) { invoice(id: $id) { id payments { id } } }';
const PAY = 'mutation($id: ID!) { postPayment(input: { invoiceId: $id, amount: 1, method: CARD }) { id } }';

interface Billed {
  patientId: string;
  claimed: string;
  claim: string;
  invoiced: string;
  invoice: string;
}

describe('billing row rules on PGlite', () => {
  let service: ScopedSubgraph;
  let admin: Call;
  let payers: string[];
  let [a, b]: Billed[] = [];

  /** One claimed charge to `payerId` and one invoiced charge for a new patient. */
  async function billed(payerId: string): Promise<Billed> {
    const claimedVisit = newVisit();
    const { patientId } = claimedVisit;
    const capture = async (visit = newVisit(patientId)) => {
      await noteAppointments(service.subgraph.database, [{ ...visit, status: 'FULFILLED' }]);
      return (await admin(OPERATIONS.capture, { input: { ...visit, codes: ['99213'] } })).data!.result[0].id as string;
    };
    const claimed = await capture(claimedVisit);
    const invoiced = await capture();
    const claim = await admin(OPERATIONS.createClaim, { input: { patientId, payerId, memberId: 'M-1', chargeIds: [claimed] } });
    const invoice = await admin(OPERATIONS.issueInvoice, { patientId, chargeIds: [invoiced] });
    return { patientId, claimed, claim: claim.data!.result.id, invoiced, invoice: invoice.data!.result.id };
  }

  beforeAll(async () => {
    service = await startScoped(billingSubgraphWith(new SimulatedPayer({ latencyMs: 0 })), undefined);
    admin = service.as(adminCaller);
    payers = await seedPayers(service.subgraph.database);
    [a, b] = [await billed(payers[0]!), await billed(payers[1]!)];
  });
  afterAll(() => service?.close());

  it('a patient sees its own charges, claims and invoices, and nothing of another patient', async () => {
    const call = service.as(patientCaller(a!.patientId));
    expect((await call(ROWS, { charge: a!.claimed, claim: a!.claim })).data).toEqual({ charge: { id: a!.claimed }, claim: { id: a!.claim, charges: [{ id: a!.claimed }] } });
    expect((await call(ROWS, { charge: b!.claimed, claim: b!.claim })).data).toEqual({ charge: null, claim: null });
    expect((await call(INVOICE, { id: a!.invoice })).data!.invoice.id).toBe(a!.invoice);
    expect((await call(INVOICE, { id: b!.invoice })).data!.invoice).toBeNull();
    const theirs = await call(OPERATIONS.patient, { id: b!.patientId });
    expect(theirs.data!._entities).toEqual([{ balance: { value: 0, currency: 'USD' }, claims: [], invoices: [] }]);
  });

  it('a payer sees its claims and the charges on them only', async () => {
    const call = service.as(payerCaller(payers[0]!));
    expect((await call(ROWS, { charge: a!.claimed, claim: a!.claim })).data).toEqual({ charge: { id: a!.claimed }, claim: { id: a!.claim, charges: [{ id: a!.claimed }] } });
    expect((await call(ROWS, { charge: a!.invoiced, claim: b!.claim })).data).toEqual({ charge: null, claim: null });
  });

  it('a patient pays its own invoice only: another\'s is not found', async () => {
    const call = service.as(patientCaller(a!.patientId));
    expect(codesOf(await call(PAY, { id: b!.invoice }))).toEqual(['NOT_FOUND']);
    expect((await call(PAY, { id: a!.invoice })).errors).toBeUndefined();
    expect((await admin(INVOICE, { id: b!.invoice })).data!.invoice.payments).toEqual([]);
  });

  it("reads a payment by id under the same rules: the patient's own, not another's, null for an unknown id", async () => {
    const paid = await admin(PAY, { id: b!.invoice });
    const paymentId = paid.data!.postPayment.id as string;
    const PAYMENT = 'query($id: ID!) { payment(id: $id) { id invoice { id } } }';
    expect((await service.as(patientCaller(b!.patientId))(PAYMENT, { id: paymentId })).data).toEqual({ payment: { id: paymentId, invoice: { id: b!.invoice } } });
    expect((await service.as(patientCaller(a!.patientId))(PAYMENT, { id: paymentId })).data).toEqual({ payment: null });
    expect((await service.as(payerCaller(payers[1]!))(PAYMENT, { id: paymentId })).data).toEqual({ payment: null });
    expect(await admin(PAYMENT, { id: 'pmt-unknown' })).toMatchObject({ data: { payment: null } });
  });
});
