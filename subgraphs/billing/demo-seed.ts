import type { Database, Queryable } from '../../platform/database/database.ts';
import { SeededRandom } from '../../platform/demo/random.ts';
import { newCharge } from './charge-capture.ts';
import { decide } from './claim-lifecycle.ts';
import { newClaim } from './claiming.ts';
import { codesOfService } from './demo-catalog.ts';
import { newInvoice } from './invoicing.ts';
import type { Charge, Claim, ClaimStatus, FeeScheduleEntry, Invoice, Payment, PaymentMethod } from './model.ts';
import { billingStores } from './stores.ts';
import { importBillingReferenceData } from './reference-import.ts';
import { demoReferenceData } from '../../platform/demo/reference-data.ts';
import { RowScope } from '../../platform/subgraph/row-scope.ts';
import { noteAppointments, type AppointmentNotice } from './billable-appointments.ts';

export interface Encounter {
  appointmentId: string;
  patientId: string;
  serviceType: string;
  completedAt: Date;
}

export interface CoverageOfPatient {
  patientId: string;
  payerId: string;
  memberId: string;
}

const DAY = 86_400_000;
const DENIAL_REASONS = ['Service not covered under the plan', 'Prior authorization missing', 'Member not eligible on the date of service'];
const METHODS: readonly PaymentMethod[] = ['CARD', 'CARD', 'CASH', 'BANK_TRANSFER', 'INSURANCE'];

const hasRows = async (db: Queryable, table: string) => (await db.query(`SELECT 1 FROM ${table} LIMIT 1`)).length > 0;
const demoId = (prefix: string, n: number) => `${prefix}-demo-${String(n).padStart(5, '0')}`;

/**
 * The demo payers (pay-01..pay-05; pay-04 is the plan the simulated payer never lets pay for cosmetic
 * procedures) and fee schedule, imported from the demo's reference data as an organisation imports
 * its own; left alone when payers exist. Answers the payer ids.
 */
export async function seedPayers(db: Database): Promise<string[]> {
  if (!(await hasRows(db, 'payer'))) await importBillingReferenceData(db, demoReferenceData());
  return (await billingStores(db, RowScope.background('demo seed')).payers.payers()).map((payer) => payer.id).sort();
}

/**
 * Charges for every encounter, claims for covered patients in every status, invoices for most
 * encounters older than a week, and payments on some (balanced or part paid). The same for the
 * same encounters: ages count back from the newest encounter, not from today. Does nothing when
 * charges already exist.
 */
export async function seedBilling(
  db: Database,
  { appointments, encounters, coverages }: { appointments: readonly AppointmentNotice[]; encounters: Encounter[]; coverages: CoverageOfPatient[] },
): Promise<void> {
  await seedPayers(db);
  await db.transaction(async (tx) => {
    // As billing would have heard of them; idempotent, so a database seeded before this knew nothing of them gets them too.
    await noteAppointments(tx, appointments);
    if (await hasRows(tx, 'charge')) return;
    const stores = billingStores(tx, RowScope.background('demo seed'));
    const payerIds = new Set((await stores.payers.payers()).map((payer) => payer.id));
    const coverageOf = new Map(coverages.filter((coverage) => payerIds.has(coverage.payerId)).map((coverage) => [coverage.patientId, coverage]));
    const ordered = [...encounters].sort((a, b) => a.completedAt.getTime() - b.completedAt.getTime() || a.appointmentId.localeCompare(b.appointmentId));
    const demo = new DemoBilling(await stores.payers.feeSchedule(), ordered.at(-1)?.completedAt.getTime() ?? 0);
    for (const encounter of ordered) demo.add(encounter, coverageOf.get(encounter.patientId));

    const numbers = await stores.invoices.numbersFor(demo.invoices.map((invoice) => invoice.issuedAt));
    demo.invoices.forEach((invoice, i) => (invoice.number = numbers[i]!));
    await stores.invoices.add(demo.invoices);
    await stores.charges.add(demo.charges);
    await stores.claims.addWithCharges(demo.claims, demo.links);
    await stores.payments.add(demo.payments);
  });
}

/** The demo's records, built in memory encounter by encounter, in time order; invoices still need their numbers. */
class DemoBilling {
  readonly charges: Charge[] = [];
  readonly claims: Claim[] = [];
  readonly links: { claimId: string; chargeId: string }[] = [];
  readonly invoices: Invoice[] = [];
  readonly payments: Payment[] = [];
  private readonly random = new SeededRandom(20261125);
  private readonly fees: Map<string, FeeScheduleEntry>;

  constructor(
    feeSchedule: readonly FeeScheduleEntry[],
    /** When the newest encounter ended: the demo's "now", so nothing happens after it. */
    private readonly newest: number,
  ) {
    this.fees = new Map(feeSchedule.map((fee) => [fee.code, fee]));
  }

  add({ appointmentId, patientId, serviceType, completedAt }: Encounter, coverage: CoverageOfPatient | undefined): void {
    const time = completedAt.getTime();
    const ageDays = (this.newest - time) / DAY;
    const charges = codesOfService(serviceType, this.random).map((code, i) =>
      newCharge(demoId('chg', this.charges.length + i + 1), this.fees.get(code)!, appointmentId, patientId, completedAt),
    );
    this.charges.push(...charges);
    if (coverage && this.random.chance(0.6)) {
      const claim = this.claimOf(coverage, charges, time, ageDays);
      this.claims.push(claim);
      this.links.push(...charges.map((charge) => ({ claimId: claim.id, chargeId: charge.id })));
    }
    if (ageDays > 7 && this.random.chance(0.85)) this.invoices.push(this.invoiceOf(patientId, charges, time));
  }

  private upTo(time: number): Date {
    return new Date(Math.min(time, this.newest));
  }

  private claimOf(coverage: CoverageOfPatient, charges: Charge[], completedAt: number, ageDays: number): Claim {
    const { random } = this;
    const draft = newClaim(demoId('clm', this.claims.length + 1), coverage, charges, this.upTo(completedAt + DAY / 24));
    const status = claimStatus(random, ageDays);
    if (status === 'DRAFT') return draft;
    const submitted: Claim = { ...draft, status: 'SUBMITTED', payerReference: `SIM-${draft.id}`, submittedAt: this.upTo(completedAt + DAY) };
    if (status === 'SUBMITTED') return submitted;
    const adjudicatedAt = this.upTo(completedAt + random.int(5, 9) * DAY);
    if (status === 'DENIED') return { ...submitted, ...decide(submitted, { claimId: draft.id, outcome: 'DENIED', denialReason: random.pick(DENIAL_REASONS) }, adjudicatedAt) };
    const approvedAmount = Math.round(draft.totalCents * random.pick([0.5, 0.8, 1])) / 100;
    const accepted = { ...submitted, ...decide(submitted, { claimId: draft.id, outcome: 'ACCEPTED', approvedAmount }, adjudicatedAt) };
    return status === 'PAID' ? { ...accepted, status: 'PAID' } : accepted;
  }

  private invoiceOf(patientId: string, charges: Charge[], completedAt: number): Invoice {
    const { random } = this;
    const invoice = newInvoice(demoId('inv', this.invoices.length + 1), '', patientId, charges, this.upTo(completedAt + DAY));
    for (const charge of charges) Object.assign(charge, { status: 'INVOICED', invoiceId: invoice.id });
    let receivedAt = invoice.issuedAt.getTime();
    for (const amountCents of paymentsOn(random, invoice.totalCents)) {
      receivedAt += random.int(2, 12) * DAY;
      const method = random.pick(METHODS);
      const reference = method === 'CASH' ? null : `REF-${String(random.int(0, 999_999)).padStart(6, '0')}`;
      this.payments.push({ id: demoId('pmt', this.payments.length + 1), invoiceId: invoice.id, amountCents, method, reference, receivedAt: this.upTo(receivedAt) });
      invoice.paidCents += amountCents;
    }
    if (invoice.paidCents === invoice.totalCents) invoice.status = 'BALANCED';
    return invoice;
  }
}

/** Recent claims are still drafts or awaiting the payer; older ones are decided. */
function claimStatus(random: SeededRandom, ageDays: number): ClaimStatus {
  if (ageDays < 3) return 'DRAFT';
  if (ageDays < 10) return random.pick(['DRAFT', 'SUBMITTED', 'SUBMITTED']);
  return random.pick(['SUBMITTED', 'ACCEPTED', 'ACCEPTED', 'DENIED', 'PAID', 'PAID']);
}

/** Nearly half the invoices are paid in full (some in two parts), a quarter in part, the rest not yet. */
function paymentsOn(random: SeededRandom, total: number): number[] {
  const roll = random.next();
  if (roll < 0.45) {
    if (!random.chance(0.3)) return [total];
    const first = Math.round(total / 2);
    return [first, total - first];
  }
  return roll < 0.7 ? [Math.round((total * random.int(20, 80)) / 100)] : [];
}
