import type DataLoader from 'dataloader';
import { conflict, DomainError, ErrorCode } from '../../platform/errors.ts';
import { pageSize, requiredText } from '../../platform/validation.ts';
import { odooHealth } from './operations/odoo-health.ts';
import { retryOdooSync } from './operations/retry-sync.ts';
import { SyncBacklog } from './operations/sync-backlog.ts';
import { runReconciliation } from './reconciliation/reconciliation-run.ts';
import { RunStore } from './reconciliation/run-store.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';
import type { RequestScope } from '../../platform/subgraph/service.ts';
import { DateScalar, DateTimeScalar } from '../../platform/subgraph/scalars.ts';
import { customerInvoiceFrom, customerInvoiceLineFrom, isSettled, type CustomerInvoice, type CustomerInvoiceLine } from './accounting/customer-invoice.ts';
import type { CustomerPayment } from './accounting/customer-payment.ts';
import { money } from './accounting/odoo-values.ts';
import type { PatientPartner } from './accounting/patient-partner.ts';
import { fromOdoo, orNullIfGone } from './accounting/upstream.ts';
import type { OdooFinanceContext } from './context.ts';
import type { Reported } from './inbound/odoo-reports.ts';
import type { OdooRecord } from './odoo/types.ts';
import { MismatchStore, type OpenMismatch } from './reconciliation/mismatch-store.ts';
import { openPartnerAccount, withdrawPartnerAccount } from './partner-accounts.ts';
import type { OpenTaskInput } from './tasks/front-office-tasks.ts';
import type { FrontOfficeTask } from './tasks/task-store.ts';
import { serviceOperationsResolver, replayDeadLettersResolver } from '../../platform/subgraph/service-operations.ts';

type Context = OdooFinanceContext & RequestScope;
type Reference = { id: string };
interface FinancialAccount {
  partner: PatientPartner;
}

/** The demo's and the bundled Odoo's company currency: what an account without invoices owes nothing in. */
const COMPANY_CURRENCY = 'USD';

const INVOICE_STATES = { draft: 'DRAFT', posted: 'POSTED', cancel: 'CANCELLED' } as const;

/** Odoo's records are not rows the scope can filter: a caller reads the finances of the patients its scope reaches, and is refused others'. */
function requireReach(scope: RowScope, patientId: string): void {
  if (!scope.reaches(patientId)) throw new DomainError(ErrorCode.FORBIDDEN, "Not authorized to read another patient's finances");
}

async function loadAll(loader: DataLoader<number, OdooRecord>, ids: readonly number[]): Promise<OdooRecord[]> {
  const loaded = await loader.loadMany(ids);
  const failure = loaded.find((record) => record instanceof Error);
  if (failure) throw failure;
  return loaded as OdooRecord[];
}

/** A report's answer goes back to the caller: it discloses the record of the patient it concerns. */
const released = <T>(scope: RowScope, { record, patientId }: Reported<T>): T => {
  if (patientId) scope.released([patientId], (id) => id);
  return record;
};

const releasedTask = (scope: RowScope, task: FrontOfficeTask): FrontOfficeTask => released(scope, { record: task, patientId: task.patientId });

const partnerInvoices = (account: FinancialAccount, { partnerInvoices }: Context) =>
  fromOdoo(() => partnerInvoices.load(String(account.partner.id)));

export const resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    odooFinanceOperations: serviceOperationsResolver,
    reconciliation: (_: unknown, __: unknown, { db, scope }: Context) => new MismatchStore(db).open(scope),
    odooSyncIssues: (_: unknown, { first }: { first?: number | null }, { db, scope }: Context) => new SyncBacklog(db).issues(scope, pageSize(first, 200)),
    odooHealth: (_: unknown, __: unknown, { odoo }: Context) => odooHealth(odoo),
    reconciliationRuns: (_: unknown, { first }: { first?: number | null }, { db }: Context) => new RunStore(db).recent(pageSize(first, 100)),
    async frontOfficeTask(_: unknown, { odooActivityId }: { odooActivityId: number }, { tasks, scope }: Context) {
      const task = await tasks.task(odooActivityId).catch(() => null);
      return task && scope.reaches(task.patientId) ? task : null;
    },
  },
  Mutation: {
    retryOdooSync: (_: unknown, { invoiceId }: { invoiceId: string }, context: Context) => retryOdooSync(context, requiredText(invoiceId, 'invoiceId', 100)),
    async runReconciliation(_: unknown, __: unknown, { db, odoo, scope, caller }: Context) {
      // The run reads every invoice as the service's own work (its own background scope, whose reads
      // are nobody's disclosure); the caller gets the run, not what it read.
      const run = await runReconciliation(db, odoo, { trigger: 'ON_DEMAND', requestedBy: caller?.subject });
      if (!run) throw conflict('RECONCILIATION_RUNNING', 'A reconciliation run is under way; try again once it has finished');
      scope.acted('runReconciliation', run.id);
      return run;
    },
    replayOdooFinanceDeadLetters: replayDeadLettersResolver,
    reportOdooInvoiceChanged: (_: unknown, { odooInvoiceId }: { odooInvoiceId: number }, { reports, scope }: Context) =>
      fromOdoo(async () => released(scope, await reports.invoiceChanged(odooInvoiceId))),
    reportOdooPaymentRegistered: (_: unknown, { odooPaymentId }: { odooPaymentId: number }, { reports, scope }: Context) =>
      fromOdoo(async () => released(scope, await reports.paymentRegistered(odooPaymentId))),
    reportOdooActivityDone: (_: unknown, { odooActivityId, odooMessageId }: { odooActivityId: number; odooMessageId: number }, { tasks, scope }: Context) =>
      fromOdoo(async () => releasedTask(scope, await tasks.reportDone(odooActivityId, odooMessageId))),
    openFrontOfficeTask: (_: unknown, { input, idempotencyKey }: { input: OpenTaskInput; idempotencyKey?: string | null }, { tasks, scope, caller }: Context) =>
      fromOdoo(async () => releasedTask(scope, await tasks.open(input, idempotencyKey, scope, caller))),
    cancelFrontOfficeTask: (_: unknown, { odooActivityId }: { odooActivityId: number }, { tasks, scope }: Context) =>
      fromOdoo(async () => releasedTask(scope, await tasks.cancel(odooActivityId, scope))),
    openFinancialAccount(_: unknown, { patientId }: { patientId: string }, { db, odoo, scope }: Context): Promise<PatientPartner> {
      scope.requireEveryRow('Opening a financial account');
      return fromOdoo(async () => ({ id: await openPartnerAccount(db, odoo, patientId), ref: released(scope, { record: patientId, patientId }) }));
    },
    async withdrawFinancialAccount(_: unknown, { patientId }: { patientId: string }, { db, odoo, scope }: Context): Promise<PatientPartner | null> {
      scope.requireEveryRow('Withdrawing a financial account');
      const id = await fromOdoo(() => withdrawPartnerAccount(db, odoo, patientId));
      return id === null ? null : { id, ref: released(scope, { record: patientId, patientId }) };
    },
  },
  Invoice: {
    async odooInvoice({ id }: Reference, _: unknown, { invoiceLinks, invoices, scope }: Context) {
      const link = await invoiceLinks.load(id);
      if (!link || link.odooMoveId === null) return null;
      const { odooMoveId, patientId } = link;
      requireReach(scope, patientId);
      return orNullIfGone(async () => customerInvoiceFrom(await invoices.load(odooMoveId)));
    },
  },
  Patient: {
    async financialAccount({ id }: Reference, _: unknown, { patientPartners, scope }: Context): Promise<FinancialAccount | null> {
      requireReach(scope, id);
      const partner = await fromOdoo(() => patientPartners.load(id));
      return partner && { partner };
    },
  },
  FinancialAccount: {
    invoices: async (account: FinancialAccount, _: unknown, context: Context) =>
      [...(await partnerInvoices(account, context))].sort((a, b) => b.id - a.id),
    async openBalance(account: FinancialAccount, _: unknown, context: Context) {
      const posted = (await partnerInvoices(account, context)).filter((invoice) => invoice.state === 'posted');
      const owed = posted.reduce((sum, invoice) => sum + invoice.residualCents, 0);
      return money(owed, posted[0]?.currency ?? COMPANY_CURRENCY);
    },
  },
  OdooInvoice: {
    state: (invoice: CustomerInvoice) => INVOICE_STATES[invoice.state],
    paymentState: (invoice: CustomerInvoice) => invoice.paymentState.toUpperCase(),
    settled: (invoice: CustomerInvoice) => isSettled(invoice.paymentState),
    total: (invoice: CustomerInvoice) => money(invoice.totalCents, invoice.currency),
    residual: (invoice: CustomerInvoice) => money(invoice.residualCents, invoice.currency),
    lines: (invoice: CustomerInvoice, _: unknown, { invoiceLines }: Context) =>
      fromOdoo(async () => (await loadAll(invoiceLines, invoice.lineIds)).map((line) => customerInvoiceLineFrom(line, invoice.currency))),
    async payments(invoice: CustomerInvoice, _: unknown, { partnerPayments }: Context): Promise<CustomerPayment[]> {
      if (invoice.partnerId === null) return [];
      const ofPartner = await fromOdoo(() => partnerPayments.load(String(invoice.partnerId)));
      return ofPartner.filter((payment) => payment.invoiceIds.includes(invoice.id));
    },
  },
  OdooInvoiceLine: {
    unitPrice: (line: CustomerInvoiceLine) => money(line.unitPriceCents, line.currency),
    subtotal: (line: CustomerInvoiceLine) => money(line.subtotalCents, line.currency),
  },
  OdooPayment: {
    amount: (payment: CustomerPayment) => money(payment.amountCents, payment.currency),
  },
  ReconciliationMismatch: {
    invoice: (mismatch: OpenMismatch) => (mismatch.invoiceId ? { __typename: 'Invoice', id: mismatch.invoiceId } : null),
  },
};
