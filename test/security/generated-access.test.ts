// Issue 11, "a generated access test": every role, every root Query and Mutation field of the
// supergraph, called with ids of another patient (patient tokens) or of another payer's member
// (payer tokens). Bound callers must get no value of anyone outside their own patients, and their
// mutations must change none of the other party's rows; for every caller, every patient whose data
// appears in a response must be named by that request's access record.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TokenRequest } from '../../gateway/authentication/embedded-issuer.ts';
import type { Database } from '../../platform/database/database.ts';
import { roleNames, roles, type RoleName } from '../../policies/roles.ts';
import { listAnnounced } from '../../workflows/graph/onboarding-listing.ts';
import { accessRecordsOf } from '../support/access-records.ts';
import { startReceiver, type WebhookReceiver } from '../webhooks/receiver.ts';
import { generatedOperation, rootFields, stringsIn, type FillContext, type RootField } from './generated-operations.ts';
import { column, membersOf, payerToken, patientToken, pick, startSeededSystem, type Answer, type Call, type SeededSystem } from './harness.ts';

/** Object levels selected below a root field; fewer where the gateway refuses the operation as too costly or too large. */
const DEPTHS = [3, 2, 1];
const LIMIT_CODES = new Set(['COST_LIMIT_EXCEEDED', 'MAX_TOKENS_EXCEEDED', 'MAX_DEPTH_EXCEEDED', 'MAX_ALIASES_EXCEEDED']);
/** Codes that mean the generator sent something the graph could not even run: its fault, not a finding. */
const GENERATOR_CODES = new Set(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'RATE_LIMITED']);
const SELF_PAYER = 'pay-01';
const OTHER_PAYER = 'pay-02';
const DAY = 86_400_000;

/** Bound roles first: their mutations must find the other party's rows as the seed left them. */
const orderedRoles = [...roleNames].sort((a, b) => Number(!roles[a].bindsTo) - Number(!roles[b].bindsTo));

/** Distinctive values of each patient's records (ids, MRN, identifiers, member ids, contact details, invoice numbers), by value. */
async function patientValues(db: SeededSystem['db'], only?: string): Promise<Array<[string, string]>> {
  const rows = async (database: Database, sql: string) =>
    (await database.query<{ patient_id: string; value: string | null }>(sql, only ? [only] : [])).filter((row) => row.value);
  const where = (column: string) => (only ? ` WHERE ${column} = $1` : '');
  const found = [
    ...(await rows(db.patients, `SELECT id AS patient_id, id AS value FROM patient${where('id')}`)),
    ...(await rows(db.patients, `SELECT id AS patient_id, mrn AS value FROM patient${where('id')}`)),
    ...(await rows(db.patients, `SELECT id AS patient_id, national_identifier AS value FROM patient${where('id')}`)),
    ...(await rows(db.patients, `SELECT id AS patient_id, array_to_string(given_names, ' ') || ' ' || family_name AS value FROM patient${where('id')}`)),
    ...(await rows(db.patients, `SELECT id AS patient_id, t->>'value' AS value FROM patient, jsonb_array_elements(telecom) t${where('id')}`)),
    ...(await rows(db.patients, `SELECT patient_id, id AS value FROM coverage${where('patient_id')}`)),
    ...(await rows(db.patients, `SELECT patient_id, member_id AS value FROM coverage${where('patient_id')}`)),
    ...(await rows(db.patients, `SELECT patient_id, id AS value FROM consent${where('patient_id')}`)),
    ...(await rows(db.appointments, `SELECT patient_id, id AS value FROM appointment${where('patient_id')}`)),
    ...(await rows(db.billing, `SELECT patient_id, id AS value FROM charge${where('patient_id')}`)),
    ...(await rows(db.billing, `SELECT patient_id, id AS value FROM claim${where('patient_id')}`)),
    ...(await rows(db.billing, `SELECT patient_id, id AS value FROM invoice${where('patient_id')}`)),
    ...(await rows(db.billing, `SELECT patient_id, number AS value FROM invoice${where('patient_id')}`)),
    ...(await rows(db.billing, `SELECT i.patient_id, p.id AS value FROM payment p JOIN invoice i ON i.id = p.invoice_id${where('i.patient_id')}`)),
  ];
  return found.map((row) => [row.value!, row.patient_id]);
}

/** Values that name exactly one patient. */
function valueIndex(pairs: Array<[string, string]>): Map<string, string> {
  const owners = new Map<string, Set<string>>();
  for (const [value, patientId] of pairs) owners.set(value, (owners.get(value) ?? new Set()).add(patientId));
  return new Map([...owners].filter(([, patients]) => patients.size === 1).map(([value, patients]) => [value, [...patients][0]!]));
}

/** Every row of the patient's records and of the organisation's webhook endpoints, as text per table. */
async function rowsOf(db: SeededSystem['db'], patientId: string, organizationId: string): Promise<Record<string, string>> {
  const tables: Array<[string, Database, string, string]> = [
    ['patient', db.patients, 'SELECT * FROM patient WHERE id = $1', patientId],
    ['coverage', db.patients, 'SELECT * FROM coverage WHERE patient_id = $1 ORDER BY id', patientId],
    ['consent', db.patients, 'SELECT * FROM consent WHERE patient_id = $1 ORDER BY id', patientId],
    ['appointment', db.appointments, 'SELECT * FROM appointment WHERE patient_id = $1 ORDER BY id', patientId],
    ['charge', db.billing, 'SELECT * FROM charge WHERE patient_id = $1 ORDER BY id', patientId],
    ['claim', db.billing, 'SELECT * FROM claim WHERE patient_id = $1 ORDER BY id', patientId],
    ['invoice', db.billing, 'SELECT * FROM invoice WHERE patient_id = $1 ORDER BY id', patientId],
    ['payment', db.billing, 'SELECT p.* FROM payment p JOIN invoice i ON i.id = p.invoice_id WHERE i.patient_id = $1 ORDER BY p.id', patientId],
    ['webhook_endpoint', db.webhooks, 'SELECT * FROM webhook_endpoint WHERE organization_id = $1 ORDER BY id', organizationId],
  ];
  const snapshot: Record<string, string> = {};
  for (const [table, database, sql, id] of tables) snapshot[table] = JSON.stringify(await database.query(sql, [id]));
  return snapshot;
}

const changedTables = (before: Record<string, string>, after: Record<string, string>) => Object.keys(before).filter((table) => before[table] !== after[table]);

/** The string leaves of a response's data. */
const leavesOf = (data: unknown) => stringsIn(data);

/** A context where every value is a placeholder: enough to see whether the generator can fill every argument. */
const placeholderContext: FillContext = {
  idOf: Object.fromEntries(['Patient', 'Appointment', 'Charge', 'Claim', 'Invoice', 'Payment', 'Practitioner', 'Location', 'Schedule', 'Payer', 'WebhookEndpoint', 'MatchReview', 'Onboarding'].map((type) => [type, `${type}-1`])),
  patientId: 'pat-1', survivorId: 'pat-3', appointmentId: 'apt-1', claimId: 'clm-1', invoiceId: 'inv-1', chargeId: 'chg-1', slotId: 'slot-1', payerId: 'pay-2',
  endpointId: 'whe-1', deliveryId: 'whd-1', odooInvoiceId: 1, odooPaymentId: 1, odooActivityId: 1, mrn: 'MRN1', webhookUrl: 'https://partner.example/hooks',
  date: '2026-12-01', window: { from: '2026-11-01T00:00:00Z', to: '2026-12-31T00:00:00Z' },
};

it('the generator fills every argument of every root Query and Mutation field of the supergraph', () => {
  const problems = rootFields().flatMap((root) => DEPTHS.flatMap((depth) => generatedOperation(root, placeholderContext, depth).problems));
  expect([...new Set(problems)]).toEqual([]);
});

describe('generated access test: every role calls every root field with the other party\'s ids', () => {
  let seeded: SeededSystem;
  let receiver: WebhookReceiver;
  let context: FillContext;
  let self: string;
  let other: string;
  let payerMembers: Set<string>;
  let index: Map<string, string>;

  beforeAll(async () => {
    seeded = await startSeededSystem();
    const { db } = seeded;
    receiver = await startReceiver([200]);
    const frontDesk = await seeded.as({ role: 'front_desk' });
    const billingSpecialist = await seeded.as({ role: 'billing_specialist' });
    const otherPayer = await seeded.as(payerToken(OTHER_PAYER));

    // The other patient: a member of another payer only, with a submitted claim, an upcoming appointment and charges to invoice.
    payerMembers = new Set(await membersOf(db.patients, SELF_PAYER));
    const otherMembers = new Set(await membersOf(db.patients, OTHER_PAYER));
    const submitted = await column(db.billing, `SELECT DISTINCT patient_id FROM claim WHERE payer_id = $1 AND status = 'SUBMITTED' ORDER BY 1`, [OTHER_PAYER]);
    const pending = new Set(await column(db.billing, `SELECT DISTINCT patient_id FROM charge WHERE status = 'PENDING' ORDER BY 1`));
    const upcoming = new Set(await column(db.appointments, `SELECT DISTINCT patient_id FROM appointment WHERE status = 'BOOKED' AND starts_at > now() ORDER BY 1`));
    other = submitted.find((id) => otherMembers.has(id) && !payerMembers.has(id) && pending.has(id) && upcoming.has(id))!;
    expect(other, 'a demo patient fit to be the other party').toBeDefined();
    // The patient token's own patient: anyone else with appointments, claims and invoices.
    const withInvoices = new Set(await column(db.billing, 'SELECT DISTINCT patient_id FROM invoice ORDER BY 1'));
    self = (await column(db.billing, 'SELECT DISTINCT patient_id FROM claim ORDER BY 1')).find((id) => id !== other && withInvoices.has(id))!;

    const [appointment] = await db.appointments.query<{ id: string; practitioner_id: string; location_id: string; day: string }>(
      `SELECT id, practitioner_id, location_id, to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM appointment
       WHERE patient_id = $1 AND status = 'BOOKED' AND starts_at > now() ORDER BY starts_at LIMIT 1`,
      [other],
    );
    const [claimId] = await pick(db.billing, `SELECT id FROM claim WHERE patient_id = $1 AND payer_id = $2 AND status = 'SUBMITTED' ORDER BY id`, [other, OTHER_PAYER]);
    const [chargeId] = await pick(db.billing, 'SELECT id FROM charge WHERE patient_id = $1 ORDER BY id', [other]);
    const [mrn] = await pick(db.patients, 'SELECT mrn FROM patient WHERE id = $1', [other]);

    // A fresh invoice and payment of the other patient, which the Odoo sync carries into Odoo.
    const issued = await billingSpecialist('mutation($patientId: ID!) { issueInvoice(patientId: $patientId) { id } }', { patientId: other });
    const invoiceId = issued.data!.issueInvoice.id as string;
    const paid = await billingSpecialist('mutation($id: ID!) { postPayment(input: { invoiceId: $id, amount: 1, method: CARD }) { id } }', { id: invoiceId });
    const paymentId = paid.data!.postPayment.id as string;

    // The other payer's endpoint, with one delivery: its own adjudication of another member's claim.
    const registered = await otherPayer('mutation($url: String!) { registerWebhookEndpoint(input: { url: $url, eventTypes: ["org.healthgraph.claim.adjudicated.v1"] }) { id } }', {
      url: receiver.url,
    });
    const endpointId = registered.data!.registerWebhookEndpoint.id as string;
    const [delivered] = await pick(db.billing, `SELECT id FROM claim WHERE payer_id = $1 AND status = 'SUBMITTED' AND patient_id <> $2 ORDER BY id`, [OTHER_PAYER, other]);
    await otherPayer('mutation($id: ID!) { recordAdjudication(input: { claimId: $id, outcome: DENIED, denialReason: "setup" }) { id } }', { id: delivered });

    const now = Date.now();
    const window = { from: new Date(now - 30 * DAY).toISOString(), to: new Date(now + 30 * DAY).toISOString() };
    const slots = await frontDesk('query($from: DateTime!, $to: DateTime!) { availableSlots(from: $from, to: $to, first: 1) { id } }', {
      // An hour ahead: the slot is booked later in the test, and must not have started by then.
      from: new Date(now + 3_600_000).toISOString(),
      to: window.to,
    });

    // An open review of the other patient as a possible duplicate of a third, as a registration opens them.
    const [third] = await column(db.patients, 'SELECT id FROM patient WHERE id <> $1 AND id <> $2 ORDER BY id LIMIT 1', [other, self]);
    await db.patients.query(
      `INSERT INTO match_review (id, patient_id, candidate_id, grade, score, status, opened_by) VALUES ('mrv-generated', $1, $2, 'PROBABLE', 0.95, 'OPEN', 'generated-access')`,
      [other, third],
    );

    // A front-office task on the other patient's account, as the onboarding workflow opens them.
    const onboarding = await seeded.as({ role: 'onboarding_service' });
    const task = await onboarding(
      'mutation($patientId: ID!) { openFrontOfficeTask(input: { patientId: $patientId, summary: "setup", deadline: "2030-01-01", choices: ["DONE"] }) { odooActivityId } }',
      { patientId: other },
    );
    const odooActivityId = task.data!.openFrontOfficeTask.odooActivityId as number;

    // A failed onboarding of the other patient, as the workflows list it (Query.onboardings reads the listing, engine or not).
    await listAnnounced(seeded.system.subgraphs.workflows.database, {
      id: 'onb-generated', definition: 'patientOnboarding', version: 5, status: 'FAILED', waitingOn: null, patientId: other, reason: 'NO_FREE_SLOT', steps: [], odooActivityIds: [],
    }, 1);

    const links: { odooInvoiceId?: number; odooPaymentId?: number; deliveryId?: string } = {};
    await vi.waitFor(
      async () => {
        const [invoice] = await seeded.system.subgraphs['odoo-finance'].database.query<{ odoo_move_id: number | null }>('SELECT odoo_move_id FROM invoice_link WHERE invoice_id = $1', [invoiceId]);
        const [payment] = await seeded.system.subgraphs['odoo-finance'].database.query<{ odoo_payment_id: number | null }>('SELECT odoo_payment_id FROM payment_link WHERE payment_id = $1', [paymentId]);
        const [delivery] = await db.webhooks.query<{ id: string }>('SELECT id FROM webhook_delivery WHERE endpoint_id = $1', [endpointId]);
        expect(invoice?.odoo_move_id && payment?.odoo_payment_id && delivery?.id).toBeTruthy();
        Object.assign(links, { odooInvoiceId: invoice!.odoo_move_id, odooPaymentId: payment!.odoo_payment_id, deliveryId: delivery!.id });
      },
      { timeout: 60_000, interval: 250 },
    );

    context = {
      idOf: {
        Patient: other,
        Appointment: appointment!.id,
        Charge: chargeId,
        Claim: claimId,
        Invoice: invoiceId,
        Payment: paymentId,
        Practitioner: appointment!.practitioner_id,
        Location: appointment!.location_id,
        // New reference data an administrator may add: a payer of nobody, a schedule at the practitioner's location.
        Schedule: 'sched-generated',
        Payer: 'pay-generated',
        WebhookEndpoint: endpointId,
        MatchReview: 'mrv-generated',
        // The seeded system runs no workflow engine: onboarding(id) is refused, or answers WORKFLOWS_NOT_RUNNING.
        Onboarding: 'onb-generated',
      },
      patientId: other,
      survivorId: third!,
      appointmentId: appointment!.id,
      claimId: claimId!,
      invoiceId,
      chargeId: chargeId!,
      slotId: slots.data!.availableSlots[0].id,
      payerId: OTHER_PAYER,
      endpointId,
      deliveryId: links.deliveryId!,
      odooInvoiceId: links.odooInvoiceId!,
      odooPaymentId: links.odooPaymentId!,
      odooActivityId,
      mrn: mrn!,
      webhookUrl: receiver.url,
      date: appointment!.day,
      window,
    };
    index = valueIndex(await patientValues(db));
  }, 300_000);
  afterAll(async () => {
    await receiver?.close();
    await seeded?.close();
  });

  /** The token of each role: bound ones to their own patient or payer ("self"), a subject per call so no cost budget runs dry. */
  const tokenOf = (role: RoleName, coordinate: string): TokenRequest => {
    const binding = role === 'patient' ? patientToken(self) : role === 'payer_partner' ? payerToken(SELF_PAYER) : { role };
    return { ...binding, subject: `generated-${role}-${coordinate}` };
  };

  /** The patients a bound caller may see data of: its own, or its payer's members. */
  const ownPatients = (role: RoleName): Set<string> | undefined =>
    role === 'patient' ? new Set([self]) : role === 'payer_partner' ? payerMembers : undefined;

  it.each(orderedRoles)('%s', async (role) => {
    const problems: string[] = [];
    const own = ownPatients(role);
    const disclosed: Array<{ coordinate: string; requestId: string; patients: Set<string> }> = [];
    // What the other patient has now: a mutation may make new records of theirs.
    let fresh = new Map<string, string>();
    const ownerOf = (value: string) => index.get(value) ?? fresh.get(value);

    /** One call of `root`, at the first of `depths` the gateway accepts, and what it disclosed or changed. */
    async function probe(root: RootField, depths: number[], label: string): Promise<void> {
      const call: Call = await seeded.as(tokenOf(role, root.coordinate));
      const rowsBefore = own && root.operation === 'mutation' ? await rowsOf(seeded.db, other, OTHER_PAYER) : undefined;
      let answer!: Answer;
      let sentValues: string[] = [];
      for (const depth of depths) {
        const operation = generatedOperation(root, context, depth);
        problems.push(...operation.problems.map((problem) => `${label}: generator: ${problem}`));
        answer = await call(operation.source);
        sentValues = operation.sentValues;
        if (!(answer.errors ?? []).some((error) => LIMIT_CODES.has(error.extensions?.code))) break;
      }
      const codes = (answer.errors ?? []).map((error) => error.extensions?.code as string);
      if (codes.some((code) => LIMIT_CODES.has(code) || GENERATOR_CODES.has(code))) {
        problems.push(`${label}: not executed (${codes.join(', ')}): ${answer.errors!.map((error) => error.message).join('; ')}`);
        return;
      }

      if (root.operation === 'mutation') fresh = valueIndex(await patientValues(seeded.db, other));
      const patients = new Set(leavesOf(answer.data).map(ownerOf).filter((patient): patient is string => patient !== undefined));
      if (patients.size > 0) disclosed.push({ coordinate: label, requestId: answer.requestId, patients });
      if (!own) return;

      const foreign = [...patients].filter((patient) => !own.has(patient));
      if (foreign.length > 0) {
        const values = leavesOf(answer.data).filter((value) => foreign.includes(ownerOf(value)!));
        problems.push(`${label}: data of ${foreign.join(', ')} in the response: ${[...new Set(values)].slice(0, 6).join(', ')}`);
      }
      const errorText = JSON.stringify(answer.errors ?? []);
      const echoed = new Set(sentValues);
      const leakedInErrors = [...index].filter(([value, patient]) => !own.has(patient) && !echoed.has(value) && errorText.includes(value)).map(([value]) => value);
      if (leakedInErrors.length > 0) problems.push(`${label}: errors name ${leakedInErrors.slice(0, 6).join(', ')}`);
      if (rowsBefore) {
        const changed = changedTables(rowsBefore, await rowsOf(seeded.db, other, OTHER_PAYER));
        if (changed.length > 0) problems.push(`${label}: changed the other party's ${changed.join(', ')} rows`);
      }
    }

    for (const root of rootFields()) {
      // The root's own scalars alone, then everything within reach: deeper, one null non-null field
      // nulls the whole answer and could hide a leak; shallower, no Patient is selected at all.
      await probe(root, [1], `${root.coordinate} (scalars)`);
      await probe(root, DEPTHS, root.coordinate);
    }

    // Every patient whose data a response carried must be named by that request's access record.
    const unrecorded = async () => {
      const records = await accessRecordsOf(seeded.db.audit, disclosed.map((entry) => entry.requestId));
      return disclosed
        .map(({ coordinate, requestId, patients }) => {
          const named = new Set((records.get(requestId) ?? []).flatMap((record) => record.patientIds));
          return { coordinate, missing: [...patients].filter((patient) => !named.has(patient)) };
        })
        .filter(({ missing }) => missing.length > 0);
    };
    // Whether, not when (that is record-then-release): a few seconds for the writer.
    await vi.waitFor(async () => expect(await unrecorded()).toEqual([]), { timeout: 5_000, interval: 250 }).catch(() => undefined);
    const missing = await unrecorded();
    problems.push(...missing.map(({ coordinate, missing: patients }) => `${coordinate}: not in the access record: ${patients.join(', ')}`));

    expect(problems).toEqual([]);
  }, 300_000);
});
