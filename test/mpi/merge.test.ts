// Issue 14: a data steward merges two records of one person and unmerges them. The survivor takes
// values as policies/survivorship.ts says; appointments, billing and odoo-finance follow
// patient.merged (and the bundled Odoo 17 archives the merged patient's partner), and point back
// what they moved on patient.unmerged; every merge and unmerge is on record with who decided.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../platform/database/database.ts';
import type { DomainEvent } from '../../platform/events/envelope.ts';
import { LOG_START, type EventLog } from '../../platform/events/event-log.ts';
import { codesOf } from '../support/graphql.ts';
import { column, startSeededSystem, type Call, type SeededSystem } from '../security/harness.ts';

const MERGE = /* GraphQL */ `
  mutation Merge($survivorId: ID!, $mergedId: ID!, $reason: String!) {
    mergePatients(survivorId: $survivorId, mergedId: $mergedId, reason: $reason) {
      id reason fieldsTaken mergedAt unmergedAt survivor { id active } merged { id active replacedBy { id } }
    }
  }
`;
const UNMERGE = /* GraphQL */ `
  mutation Unmerge($mergedId: ID!, $reason: String!) {
    unmergePatient(mergedId: $mergedId, reason: $reason) { id unmergeReason unmergedAt merged { id active replacedBy { id } } }
  }
`;
const PATIENT = 'query($id: ID!) { patient(id: $id) { id active replacedBy { id } } }';
const UPDATE_ADDRESS = 'mutation($id: ID!, $input: UpdatePatientDemographicsInput!) { updatePatientDemographics(id: $id, input: $input) { id } }';
const ISSUE = 'mutation($patientId: ID!) { issueInvoice(patientId: $patientId) { id } }';
const STEWARD = 'steward-ada';
const eventually = { timeout: 30_000, interval: 100 };

/** Every row id, by table, that names the patient in the services that follow merges. */
async function referencesOf(seeded: SeededSystem, patientId: string): Promise<Record<string, string[]>> {
  const odooFinance = seeded.system.subgraphs['odoo-finance'].database;
  const ids = (db: Database, sql: string) => column(db, sql, [patientId]);
  return {
    appointment: await ids(seeded.db.appointments, 'SELECT id FROM appointment WHERE patient_id = $1 ORDER BY id'),
    payer_coverage: await ids(seeded.db.appointments, 'SELECT coverage_id FROM payer_coverage WHERE patient_id = $1 ORDER BY 1'),
    charge: await ids(seeded.db.billing, 'SELECT id FROM charge WHERE patient_id = $1 ORDER BY id'),
    claim: await ids(seeded.db.billing, 'SELECT id FROM claim WHERE patient_id = $1 ORDER BY id'),
    invoice: await ids(seeded.db.billing, 'SELECT id FROM invoice WHERE patient_id = $1 ORDER BY id'),
    billable_appointment: await ids(seeded.db.billing, 'SELECT appointment_id FROM billable_appointment WHERE patient_id = $1 ORDER BY 1'),
    invoice_link: await ids(odooFinance, 'SELECT invoice_id FROM invoice_link WHERE patient_id = $1 ORDER BY 1'),
  };
}

/** The first event in the log that `matches`. */
async function loggedEvent(log: EventLog, matches: (event: DomainEvent) => boolean): Promise<DomainEvent> {
  for (let after = LOG_START; ; ) {
    const batch = await log.read(after, 500);
    const found = batch.find(({ event }) => matches(event));
    if (found) return found.event;
    if (batch.length === 0) throw new Error('no such event in the log');
    after = batch.at(-1)!.logId;
  }
}

const mergeEvent = (type: 'merged' | 'unmerged', mergeId: string) => (event: DomainEvent) =>
  event.type === `org.healthgraph.patient.${type}.v1` && (event.data as { mergeId?: string }).mergeId === mergeId;

const union = (a: Record<string, string[]>, b: Record<string, string[]>) =>
  Object.fromEntries(Object.keys(a).map((table) => [table, [...a[table]!, ...b[table]!].sort()]));
const none = (references: Record<string, string[]>) => Object.fromEntries(Object.keys(references).map((table) => [table, []]));

describe('a data steward merging and unmerging duplicate patients', () => {
  let seeded: SeededSystem;
  let steward: Call;
  let frontDesk: Call;
  let clinician: Call;
  /** The duplicate, with appointments, charges, claims and an invoice in Odoo; the record it is merged into. */
  let mergedId: string;
  let survivorId: string;
  let mergedBefore: Record<string, string[]>;
  let survivorBefore: Record<string, string[]>;
  let mergedPartnerId: number;
  let survivorAddress: unknown;
  const newAddress = { line: ['9 Quarry Lane'], city: 'Verona', state: 'WI', postalCode: '53593', country: 'US' };

  const partnerActive = async (partnerId: number) => (await seeded.system.odoo.read('res.partner', [partnerId], ['active']))[0]!.active;
  const addressOf = async (patientId: string) => (await seeded.db.patients.query<{ address: unknown }>('SELECT address FROM patient WHERE id = $1', [patientId]))[0]!.address;

  beforeAll(async () => {
    seeded = await startSeededSystem({ bundledOdoo: { version: 17 } });
    const { db } = seeded;
    steward = await seeded.as({ role: 'data_steward', subject: STEWARD });
    frontDesk = await seeded.as({ role: 'front_desk' });
    clinician = await seeded.as({ role: 'clinician' });
    const billingSpecialist = await seeded.as({ role: 'billing_specialist' });

    const pending = new Set(await column(db.billing, `SELECT DISTINCT patient_id FROM charge WHERE status = 'PENDING' ORDER BY 1`));
    const claimed = new Set(await column(db.billing, 'SELECT DISTINCT patient_id FROM claim ORDER BY 1'));
    const withAppointments = await column(db.appointments, 'SELECT DISTINCT patient_id FROM appointment ORDER BY 1');
    mergedId = withAppointments.find((id) => pending.has(id) && claimed.has(id))!;
    survivorId = withAppointments.find((id) => id !== mergedId)!;
    expect(mergedId && survivorId, 'demo patients fit to be merged').toBeTruthy();

    // An invoice the Odoo sync carries into Odoo, which gives the duplicate its partner there.
    const issued = await billingSpecialist(ISSUE, { patientId: mergedId });
    expect(issued.errors).toBeUndefined();
    const odooFinance = seeded.system.subgraphs['odoo-finance'].database;
    await vi.waitFor(async () => {
      const [link] = await odooFinance.query<{ odoo_move_id: number | null }>('SELECT odoo_move_id FROM invoice_link WHERE invoice_id = $1', [issued.data!.issueInvoice.id]);
      expect(link?.odoo_move_id).toBeTruthy();
    }, { timeout: 60_000, interval: 250 });
    mergedPartnerId = (await column<number>(odooFinance, 'SELECT odoo_partner_id FROM partner_link WHERE patient_id = $1', [mergedId]))[0]!;

    // The duplicate's address is the newer: survivorship gives it to the survivor.
    expect((await frontDesk(UPDATE_ADDRESS, { id: mergedId, input: { address: newAddress } })).errors).toBeUndefined();
    survivorAddress = await addressOf(survivorId);
    mergedBefore = await referencesOf(seeded, mergedId);
    survivorBefore = await referencesOf(seeded, survivorId);
    for (const table of ['appointment', 'charge', 'claim', 'invoice', 'billable_appointment', 'invoice_link']) expect(mergedBefore[table], table).not.toEqual([]);
  }, 180_000);
  afterAll(() => seeded?.close());

  it('is the data steward\'s: the front desk and a clinician may neither merge nor unmerge', async () => {
    for (const caller of [frontDesk, clinician]) {
      expect(codesOf(await caller(MERGE, { survivorId, mergedId, reason: 'same person' }))).toEqual(['FORBIDDEN']);
      expect(codesOf(await caller(UNMERGE, { mergedId, reason: 'not the same person' }))).toEqual(['FORBIDDEN']);
    }
    expect(await column(seeded.db.patients, 'SELECT count(*)::int FROM patient_merge')).toEqual([0]);
  });

  it('refuses a patient merged with itself and an unmerge of a patient not merged, with stable reasons', async () => {
    const itself = await steward(MERGE, { survivorId, mergedId: survivorId, reason: 'same person' });
    expect(itself.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'MERGE_WITH_ITSELF' });
    const notMerged = await steward(UNMERGE, { mergedId, reason: 'not the same person' });
    expect(notMerged.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PATIENT_NOT_MERGED' });
    expect(codesOf(await steward(MERGE, { survivorId, mergedId: 'pat-nobody', reason: 'same person' }))).toEqual(['NOT_FOUND']);
  });

  it('merges: the merged record answers as replaced by the survivor, which takes the newer address, and every service and Odoo follow', async () => {
    const merged = await steward(MERGE, { survivorId, mergedId, reason: 'Same person registered twice at two sites' });
    expect(merged.errors).toBeUndefined();
    expect(merged.data!.mergePatients).toMatchObject({
      reason: 'Same person registered twice at two sites',
      unmergedAt: null,
      survivor: { id: survivorId, active: true },
      merged: { id: mergedId, active: false, replacedBy: { id: survivorId } },
    });
    expect(merged.data!.mergePatients.fieldsTaken).toContain('address');
    expect(await addressOf(survivorId)).toEqual(newAddress);
    expect((await frontDesk(PATIENT, { id: mergedId })).data!.patient).toEqual({ id: mergedId, active: false, replacedBy: { id: survivorId } });

    await vi.waitFor(async () => {
      expect(await referencesOf(seeded, mergedId)).toEqual(none(mergedBefore));
      expect(await referencesOf(seeded, survivorId)).toEqual(union(survivorBefore, mergedBefore));
      expect(await partnerActive(mergedPartnerId)).toBe(false);
    }, eventually);

    // Who merged which patient is on record, and both records the answer named.
    await vi.waitFor(async () => {
      const records = await seeded.recordsOf(merged.requestId);
      expect(records).toContainEqual(expect.objectContaining({ subject: STEWARD, actions: [{ action: 'mergePatients', target: merged.data!.mergePatients.id }] }));
      expect(records.flatMap((record) => record.patientIds)).toEqual(expect.arrayContaining([mergedId, survivorId]));
    }, { timeout: 5_000, interval: 50 });
    const [kept] = await seeded.db.patients.query<{ merged_by: string }>('SELECT merged_by FROM patient_merge WHERE id = $1', [merged.data!.mergePatients.id]);
    expect(kept!.merged_by).toBe(STEWARD);
  });

  it('refuses to merge either record again, or to change the merged one', async () => {
    for (const pair of [{ survivorId, mergedId }, { survivorId: mergedId, mergedId: survivorId }]) {
      const again = await steward(MERGE, { ...pair, reason: 'again' });
      expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PATIENT_MERGED', patientId: mergedId, replacedBy: survivorId });
    }
    const changed = await frontDesk(UPDATE_ADDRESS, { id: mergedId, input: { address: newAddress } });
    expect(changed.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PATIENT_MERGED', replacedBy: survivorId });
  });

  it('unmerges: the record is in use again, the survivor gets its address back, and every service and Odoo point back what they moved', async () => {
    const unmerged = await steward(UNMERGE, { mergedId, reason: 'Twins, not one person' });
    expect(unmerged.errors).toBeUndefined();
    expect(unmerged.data!.unmergePatient).toMatchObject({ unmergeReason: 'Twins, not one person', unmergedAt: expect.any(String), merged: { id: mergedId, active: true, replacedBy: null } });
    expect(await addressOf(survivorId)).toEqual(survivorAddress);

    await vi.waitFor(async () => {
      expect(await referencesOf(seeded, mergedId)).toEqual(mergedBefore);
      expect(await referencesOf(seeded, survivorId)).toEqual(survivorBefore);
      expect(await partnerActive(mergedPartnerId)).toBe(true);
    }, eventually);

    await vi.waitFor(async () => {
      expect(await seeded.recordsOf(unmerged.requestId)).toContainEqual(expect.objectContaining({ subject: STEWARD, actions: [{ action: 'unmergePatient', target: unmerged.data!.unmergePatient.id }] }));
    }, { timeout: 5_000, interval: 50 });
    const twice = await steward(UNMERGE, { mergedId, reason: 'again' });
    expect(twice.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PATIENT_NOT_MERGED' });
  });

  it('a merge delivered again after its unmerge moves nothing: each service handles an event once', async () => {
    const [mergeId] = await column(seeded.db.patients, 'SELECT id FROM patient_merge WHERE merged_id = $1', [mergedId]);
    await seeded.system.eventLog.append(await loggedEvent(seeded.system.eventLog, mergeEvent('merged', mergeId!)));
    // A later merge of two other patients: each service's group handles it after the redelivery.
    const [other, otherSurvivor] = await column(seeded.db.appointments, 'SELECT DISTINCT patient_id FROM appointment WHERE patient_id <> ALL($1) ORDER BY 1 LIMIT 2', [[mergedId, survivorId]]);
    const later = await steward(MERGE, { survivorId: otherSurvivor, mergedId: other, reason: 'same person' });
    expect(later.errors).toBeUndefined();
    const laterEvent = await vi.waitFor(() => loggedEvent(seeded.system.eventLog, mergeEvent('merged', later.data!.mergePatients.id)), eventually);
    const followers: Array<[Database, string]> = [
      [seeded.db.appointments, 'appointments-patient-merges'],
      [seeded.db.billing, 'billing-patient-merges'],
      [seeded.system.subgraphs['odoo-finance'].database, 'odoo-finance-patient-merges'],
    ];
    await vi.waitFor(async () => {
      for (const [db, group] of followers) {
        expect(await column(db, 'SELECT event_id FROM processed_events WHERE consumer = $1 AND event_id = $2', [group, laterEvent.id]), group).toEqual([laterEvent.id]);
      }
    }, eventually);
    expect(await referencesOf(seeded, mergedId)).toEqual(mergedBefore);
    expect(await partnerActive(mergedPartnerId)).toBe(true);
  });
});
