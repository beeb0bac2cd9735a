import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBilling, seedPayers, type CoverageOfPatient, type Encounter } from '../../subgraphs/billing/demo-seed.ts';
import { databaseEngines } from '../support/databases.ts';
import { codesOf } from '../support/graphql.ts';
import { startBilling, type BillingService } from './harness.ts';

const SERVICE_TYPES = ['general-practice', 'cardiology', 'dermatology', 'pediatrics', 'physiotherapy', 'orthopedics', 'nutrition'];
const NEWEST = Date.parse('2026-11-20T17:00:00Z');
const pad = (n: number) => String(n).padStart(4, '0');

/** About what the appointments seed hands over: 600 encounters of 300 patients over four weeks. */
const encounters: Encounter[] = Array.from({ length: 600 }, (_, n) => ({
  appointmentId: `apt-${pad(n)}`,
  patientId: `pat-${pad(n % 300)}`,
  serviceType: SERVICE_TYPES[(n * 7) % SERVICE_TYPES.length]!,
  completedAt: new Date(NEWEST - ((n * 37) % 28) * 86_400_000 - (n % 8) * 3_600_000),
}));
const completed = encounters.map(({ appointmentId, patientId }) => ({ appointmentId, patientId, status: 'FULFILLED' as const }));
const coverages: CoverageOfPatient[] = [
  ...Array.from({ length: 240 }, (_, n) => ({ patientId: `pat-${pad(n)}`, payerId: `pay-0${(n % 5) + 1}`, memberId: `M${pad(n)}` })),
  { patientId: 'pat-0299', payerId: 'pay-99', memberId: 'M-unknown-payer' },
];

/** What each engine seeded, to show the seed is the same everywhere. */
const digests = new Map<string, string>();

const references = (typename: string, ids: string[]) => ids.map((id) => ({ __typename: typename, id }));
const ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { __typename ';

describe.each(databaseEngines)('the seeded billing graph on $engine', ({ engine, url }) => {
  let billing: BillingService;
  let seedStatements = 0;
  beforeAll(async () => {
    billing = await startBilling(url);
    const before = billing.subgraph.database.statementCount;
    await seedBilling(billing.subgraph.database, { appointments: completed, encounters, coverages });
    seedStatements = billing.subgraph.database.statementCount - before;
  });
  afterAll(() => billing?.close());

  const entities = async (fields: string, representations: unknown[]) => {
    const before = billing.subgraph.database.statementCount;
    const response = await billing.call(`${ENTITIES} ${fields} } }`, { representations });
    expect(response.errors).toBeUndefined();
    return { entities: response.data!._entities, statements: billing.subgraph.database.statementCount - before };
  };

  it('seeds 600 encounters in bulk, not a statement per row', async () => {
    expect(seedStatements).toBeLessThan(30);
    expect(await billing.count('SELECT count(DISTINCT appointment_id) FROM charge')).toBe(600);
    expect(await billing.count('SELECT count(*) FROM payer')).toBe(5);
    expect(await billing.count(`SELECT count(*) FROM charge WHERE code = '99212' OR code LIKE '9921_'`)).toBeGreaterThan(100);
  });

  it('seeds every status, and the figures agree with each other', async () => {
    const statuses = await billing.subgraph.database.query<{ kind: string; status: string }>(
      `SELECT 'claim' AS kind, status FROM claim UNION SELECT 'invoice', status FROM invoice UNION SELECT 'charge', status FROM charge ORDER BY 1, 2`,
    );
    expect(statuses.map(({ kind, status }) => `${kind}:${status}`)).toEqual([
      'charge:INVOICED', 'charge:PENDING',
      'claim:ACCEPTED', 'claim:DENIED', 'claim:DRAFT', 'claim:PAID', 'claim:SUBMITTED',
      'invoice:BALANCED', 'invoice:ISSUED',
    ]);
    expect(await billing.count(`SELECT count(*) FROM invoice WHERE status = 'ISSUED' AND paid_cents > 0`)).toBeGreaterThan(10);
    expect(await billing.count(`SELECT count(*) FROM invoice WHERE (status = 'BALANCED') <> (paid_cents = total_cents)`)).toBe(0);
    expect(await billing.count('SELECT count(*) FROM invoice i WHERE paid_cents <> (SELECT coalesce(sum(amount_cents), 0) FROM payment p WHERE p.invoice_id = i.id)')).toBe(0);
    expect(await billing.count('SELECT count(*) FROM invoice i WHERE total_cents <> (SELECT sum(amount_cents) FROM charge c WHERE c.invoice_id = i.id)')).toBe(0);
    expect(await billing.count('SELECT count(*) FROM claim c WHERE total_cents <> (SELECT sum(ch.amount_cents) FROM claim_charge cc JOIN charge ch ON ch.id = cc.charge_id WHERE cc.claim_id = c.id)')).toBe(0);
    expect(await billing.count(`SELECT count(*) FROM claim WHERE payer_id NOT LIKE 'pay-0_'`)).toBe(0);
    expect(await billing.count(`SELECT count(*) FROM invoice WHERE number !~ '^INV-2026-[0-9]{6}$'`)).toBe(0);
  });

  it('seeds the same data on every engine and every run, and seeds nothing twice', async () => {
    const tables = ['payer', 'fee_schedule', 'charge', 'claim', 'claim_charge', 'invoice', 'payment'];
    const hash = createHash('sha256');
    for (const table of tables) hash.update(JSON.stringify(await billing.subgraph.database.query(`SELECT * FROM ${table} ORDER BY 1, 2`)));
    const digest = hash.digest('hex');
    for (const [other, seen] of digests) expect(digest, `same as on ${other}`).toBe(seen);
    digests.set(engine, digest);

    const charges = await billing.count('SELECT count(*) FROM charge');
    expect(await seedPayers(billing.subgraph.database)).toEqual(['pay-01', 'pay-02', 'pay-03', 'pay-04', 'pay-05']);
    await seedBilling(billing.subgraph.database, { appointments: completed, encounters, coverages });
    expect(await billing.count('SELECT count(*) FROM charge')).toBe(charges);
  });

  it('resolves any number of Appointment references with the same few statements', async () => {
    const fields = '... on Appointment { id charges { id code amount { value } status appointment { id } patient { id } } }';
    const few = await entities(fields, references('Appointment', encounters.slice(0, 5).map((e) => e.appointmentId)));
    const many = await entities(fields, references('Appointment', encounters.slice(0, 50).map((e) => e.appointmentId)));
    expect(many.entities).toHaveLength(50);
    expect(many.entities.every((appointment: { charges: unknown[] }) => appointment.charges.length > 0)).toBe(true);
    expect(many.statements).toBe(1);
    expect(few.statements).toBe(many.statements);
  });

  it('resolves Patient references with balances, claims and invoices in one statement per list (the balance from the invoices)', async () => {
    const fields = `... on Patient { id balance { value } claims { id total { value } payer { name } charges { code } }
      invoices { number status balance { value } lines { amount { value } charge { code } } payments { amount { value } } } }`;
    const patientIds = (count: number) => Array.from({ length: count }, (_, n) => `pat-${pad(n)}`);
    const few = await entities(fields, references('Patient', patientIds(5)));
    const many = await entities(fields, references('Patient', patientIds(50)));
    expect(many.statements).toBe(6);
    expect(few.statements).toBe(many.statements);
    const owing = many.entities.filter((patient: { balance: { value: number } }) => patient.balance.value > 0);
    expect(owing.length).toBeGreaterThan(0);
    for (const patient of many.entities) {
      // What is left on the issued invoices; balanced and cancelled ones owe nothing.
      const open = patient.invoices
        .filter((invoice: { status: string }) => invoice.status === 'ISSUED')
        .reduce((sum: number, invoice: { balance: { value: number } }) => sum + Math.round(invoice.balance.value * 100), 0);
      expect(Math.round(patient.balance.value * 100)).toBe(open);
    }
  });

  it('resolves references of every billing entity, one statement per type, unknown ids as null', async () => {
    const ids = async (table: string) => (await billing.subgraph.database.query<{ id: string }>(`SELECT id FROM ${table} ORDER BY id LIMIT 20`)).map((row) => row.id);
    const representations = [
      ...references('Charge', [...(await ids('charge')), 'chg-unknown']),
      ...references('Claim', await ids('claim')),
      ...references('Invoice', await ids('invoice')),
      ...references('Payment', await ids('payment')),
      ...references('Payer', ['pay-01', 'pay-02', 'pay-unknown']),
    ];
    const fields = '... on Charge { id } ... on Claim { id } ... on Invoice { id } ... on Payment { id } ... on Payer { id name }';
    const { entities: found, statements } = await entities(fields, representations);
    expect(statements).toBe(5);
    expect(found).toHaveLength(representations.length);
    expect(found.filter((entity: unknown) => entity === null)).toHaveLength(2);
    expect(found[20]).toBeNull();
  });

  it('answers unknown ids with null or NOT_FOUND, and odd ones without leaking the database', async () => {
    const lookup = await billing.call('{ charge(id: "chg-unknown") { id } claim(id: "clm-unknown") { id } invoice(id: "inv-unknown") { id } }');
    expect(lookup).toMatchObject({ data: { charge: null, claim: null, invoice: null } });
    expect(lookup.errors).toBeUndefined();
    const patient = await entities('... on Patient { balance { value } claims { id } invoices { id } }', references('Patient', ['pat-nobody']));
    expect(patient.entities).toEqual([{ __typename: 'Patient', balance: { value: 0 }, claims: [], invoices: [] }]);
    const odd = await billing.call('query($id: ID!) { charge(id: $id) { id } }', { id: 'chg-\u0000' });
    expect(codesOf(odd)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(odd.errors![0]!.message).toBe('Internal server error');
  });
});
