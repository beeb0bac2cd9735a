import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { databaseEngines, dropSystemSchemas, uniqueName } from '../support/databases.ts';
import { codesOf, graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';

describe.each(databaseEngines)('the graph on $engine', ({ url }) => {
  const prefix = `${uniqueName('graph')}_`;
  let system: RunningSystem;
  let staff: Record<string, string>;

  beforeAll(async () => {
    staff = await bearerFor({ role: 'admin', purpose: 'TREAT' });
    system = await startSystem({ databaseUrl: url, schemaPrefix: prefix, gatewayPort: 0, seedDemoData: true });
  });
  afterAll(async () => {
    await system?.close();
    await dropSystemSchemas(url, system);
  });

  it('books one free slot once out of 100 concurrent requests; 99 get CONFLICT', async () => {
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const to = new Date(Date.now() + 14 * 86_400_000).toISOString();
    const { data } = await graphql(system.gateway.url, 'query($from: DateTime!, $to: DateTime!) { availableSlots(from: $from, to: $to, first: 1) { id } }', { from, to }, staff);
    const slotId = data!.availableSlots[0].id as string;
    const book = (n: number) =>
      graphql(system.gateway.url, 'mutation($slot: ID!, $patient: ID!) { bookAppointment(slotId: $slot, patientId: $patient) { id status } }', {
        slot: slotId,
        patient: `pat-${String((n % 300) + 1).padStart(4, '0')}`,
      }, staff);
    const responses = await Promise.all(Array.from({ length: 100 }, (_, n) => book(n)));
    const booked = responses.filter((response) => response.data?.bookAppointment?.status === 'BOOKED');
    const conflicts = responses.filter((response) => codesOf(response).includes('CONFLICT'));
    expect(booked).toHaveLength(1);
    expect(conflicts).toHaveLength(99);
    const rows = await system.subgraphs.appointments.database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM appointment WHERE slot_id = $1',
      [slotId],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('resolves 50 appointments with patient and charges in a bounded number of SQL statements per subgraph', async () => {
    const query = /* GraphQL */ `
      query Day($from: DateTime!, $to: DateTime!) {
        appointments(filter: { from: $from, to: $to, status: [FULFILLED] }, first: 50) {
          id
          practitioner { name { text } }
          location { name }
          patient { name { text } birthDate coverages { memberId } }
          charges { code amount { value } }
        }
      }
    `;
    const to = new Date().toISOString();
    const from = new Date(Date.now() - 14 * 86_400_000).toISOString();
    const before = Object.fromEntries(Object.entries(system.subgraphs).map(([name, subgraph]) => [name, subgraph.database.statementCount]));
    const { data, errors } = await graphql(system.gateway.url, query, { from, to }, staff);
    expect(errors).toBeUndefined();
    expect(data!.appointments).toHaveLength(50);
    expect(data!.appointments.every((appointment: { charges: unknown[] }) => appointment.charges.length > 0)).toBe(true);
    const used = Object.fromEntries(Object.entries(system.subgraphs).map(([name, subgraph]) => [name, subgraph.database.statementCount - before[name]!]));
    // appointments: the list, practitioners, locations; patients: patients, coverages; billing: charges.
    expect(used.appointments).toBeLessThanOrEqual(3);
    expect(used.patients).toBeLessThanOrEqual(2);
    expect(used.billing).toBeLessThanOrEqual(1);
  });
});
