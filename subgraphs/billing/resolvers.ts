import { once } from '../../platform/database/idempotency.ts';
import { DateScalar, DateTimeScalar } from '../../platform/subgraph/scalars.ts';
import { captureCharges } from './charge-capture.ts';
import { createClaim, recordAdjudication, submitClaim } from './claiming.ts';
import type { BillingContext } from './context.ts';
import { checkEligibility, type EligibilityQuery } from './eligibility.ts';
import { issueInvoice } from './invoicing.ts';
import type { Adjudication, Charge, ChargeCapture, Claim, ClaimDraft, FeeScheduleEntry, Invoice, Payment } from './model.ts';
import { money } from './money.ts';
import { PayerStore } from './payer-store.ts';
import { postPayment } from './payment-posting.ts';
import { admitPayer } from './reference-import.ts';
import { validFee, validPayer } from './reference-validation.ts';
import { distinctIds, validCapture, validClaimDraft, validId, validPayment, type PaymentInput } from './validation.ts';
import { serviceOperationsResolver, replayDeadLettersResolver } from '../../platform/subgraph/service-operations.ts';

type Context = BillingContext;
type Reference = { id: string };
type Keyed = { idempotencyKey?: string | null };

const patientRef = (id: string) => ({ __typename: 'Patient', id });

export const resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    billingOperations: serviceOperationsResolver,
    payers: (_: unknown, __: unknown, { stores }: Context) => stores.payers.payers(),
    feeSchedule: (_: unknown, __: unknown, { stores }: Context) => stores.payers.feeSchedule(),
    charge: (_: unknown, { id }: Reference, { charges }: Context) => charges.load(id),
    claim: (_: unknown, { id }: Reference, { claims }: Context) => claims.load(id),
    invoice: (_: unknown, { id }: Reference, { invoices }: Context) => invoices.load(id),
    payment: (_: unknown, { id }: Reference, { payments }: Context) => payments.load(id),
    checkEligibility: (_: unknown, query: EligibilityQuery, context: Context) => checkEligibility(context, query),
  },
  Payer: {
    __resolveReference: ({ id }: Reference, { payers }: Context) => payers.load(id),
  },
  FeeScheduleEntry: {
    amount: (entry: FeeScheduleEntry) => money(entry.amountCents),
  },
  Charge: {
    __resolveReference: ({ id }: Reference, { charges }: Context) => charges.load(id),
    amount: (charge: Charge) => money(charge.amountCents),
    appointment: (charge: Charge) => ({ __typename: 'Appointment', id: charge.appointmentId }),
    patient: (charge: Charge) => patientRef(charge.patientId),
  },
  Claim: {
    __resolveReference: ({ id }: Reference, { claims }: Context) => claims.load(id),
    payer: (claim: Claim, _: unknown, { payers }: Context) => payers.load(claim.payerId),
    patient: (claim: Claim) => patientRef(claim.patientId),
    charges: (claim: Claim, _: unknown, { claimCharges }: Context) => claimCharges.load(claim.id),
    total: (claim: Claim) => money(claim.totalCents),
    approvedAmount: (claim: Claim) => (claim.approvedCents === null ? null : money(claim.approvedCents)),
  },
  Invoice: {
    __resolveReference: ({ id }: Reference, { invoices }: Context) => invoices.load(id),
    patient: (invoice: Invoice) => patientRef(invoice.patientId),
    lines: (invoice: Invoice, _: unknown, { invoiceLines }: Context) => invoiceLines.load(invoice.id),
    total: (invoice: Invoice) => money(invoice.totalCents),
    paid: (invoice: Invoice) => money(invoice.paidCents),
    balance: (invoice: Invoice) => money(invoice.totalCents - invoice.paidCents),
    payments: (invoice: Invoice, _: unknown, { invoicePayments }: Context) => invoicePayments.load(invoice.id),
  },
  // An invoice line is the invoiced charge itself.
  InvoiceLine: {
    charge: (charge: Charge) => charge,
    amount: (charge: Charge) => money(charge.amountCents),
  },
  Payment: {
    __resolveReference: ({ id }: Reference, { payments }: Context) => payments.load(id),
    invoice: (payment: Payment, _: unknown, { invoices }: Context) => invoices.load(payment.invoiceId),
    amount: (payment: Payment) => money(payment.amountCents),
  },
  Appointment: {
    charges: ({ id }: Reference, _: unknown, { appointmentCharges }: Context) => appointmentCharges.load(id),
  },
  Patient: {
    // From the invoices a statement reads anyway (one query for both): only ISSUED ones are open.
    balance: async ({ id }: Reference, _: unknown, { patientInvoices }: Context) =>
      money((await patientInvoices.load(id)).reduce((owed, invoice) => (invoice.status === 'ISSUED' ? owed + invoice.totalCents - invoice.paidCents : owed), 0)),
    claims: ({ id }: Reference, _: unknown, { patientClaims }: Context) => patientClaims.load(id),
    invoices: ({ id }: Reference, _: unknown, { patientInvoices }: Context) => patientInvoices.load(id),
  },
  Mutation: {
    replayBillingDeadLetters: replayDeadLettersResolver,
    async savePayer(_: unknown, { input }: { input: Record<string, unknown> }, { write, scope, payers }: Context) {
      const payer = validPayer(input);
      await write(async (tx) => {
        const store = new PayerStore(tx);
        admitPayer(payer, await store.lockedPayers());
        await store.savePayers([payer]);
      });
      scope.acted('savePayer', payer.id);
      return payers.load(payer.id);
    },
    async saveFeeScheduleEntry(_: unknown, { input }: { input: Record<string, unknown> }, { write, scope }: Context) {
      const fee = validFee(input);
      await write((tx) => new PayerStore(tx).saveFees([fee]));
      scope.acted('saveFeeScheduleEntry', fee.code);
      return fee;
    },
    async captureCharges(_: unknown, { input, idempotencyKey }: { input: ChargeCapture } & Keyed, { write, scope, caller, charges }: Context) {
      const capture = validCapture(input);
      const ids = await write((tx) => once(tx, { key: idempotencyKey, caller, operation: 'captureCharges' }, capture, () => captureCharges(tx, scope, capture)));
      return Promise.all(ids.map((id) => charges.load(id)));
    },
    async createClaim(_: unknown, { input, idempotencyKey }: { input: ClaimDraft } & Keyed, { write, scope, caller, claims }: Context) {
      const draft = validClaimDraft(input);
      return claims.load(await write((tx) => once(tx, { key: idempotencyKey, caller, operation: 'createClaim' }, draft, () => createClaim(tx, scope, draft))));
    },
    submitClaim: (_: unknown, { claimId }: { claimId: string }, context: Context) => submitClaim(context, validId(claimId, 'claimId')),
    recordAdjudication: (_: unknown, { input }: { input: Adjudication }, { write, scope }: Context) =>
      write((tx) => recordAdjudication(tx, scope, { ...input, claimId: validId(input.claimId, 'claimId') })),
    async issueInvoice(
      _: unknown,
      args: { patientId: string; chargeIds?: string[] | null } & Keyed,
      { write, scope, caller, invoices }: Context,
    ) {
      const patientId = validId(args.patientId, 'patientId');
      const chargeIds = args.chargeIds ? distinctIds(args.chargeIds, 'chargeIds') : null;
      const id = await write((tx) => once(tx, { key: args.idempotencyKey, caller, operation: 'issueInvoice' }, { patientId, chargeIds }, () => issueInvoice(tx, scope, patientId, chargeIds)));
      return invoices.load(id);
    },
    async postPayment(_: unknown, { input, idempotencyKey }: { input: PaymentInput } & Keyed, { write, scope, caller, payments }: Context) {
      const posting = validPayment(input);
      return payments.load(await write((tx) => once(tx, { key: idempotencyKey, caller, operation: 'postPayment' }, posting, () => postPayment(tx, posting, scope))));
    },
  },
};
