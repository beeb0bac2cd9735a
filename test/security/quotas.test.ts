// Issue 11, finding 8: no quotas. One patient booked 40 of 40 free slots in 12 s; one partner registered 100
// endpoints to one target, so one booking made 100 POSTs; the 100-subscription limit was per socket, so 3 sockets
// held 300; queries whose results were filtered to nothing were refunded almost all their cost, so 200 estimated
// at 751 each never met a 429. Each quota of policies/quotas.ts answers QUOTA_EXCEEDED with its own reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quotas } from '../../policies/quotas.ts';
import { connectSubscriber, waitFor, type EventStream } from '../subscriptions/event-client.ts';
import { bearerFor } from '../support/tokens.ts';
import { column, patientToken, payerToken, startSeededSystem, type Answer, type SeededSystem } from './harness.ts';

const BOOK = 'mutation Book($slotId: ID!, $patientId: ID!) { bookAppointment(slotId: $slotId, patientId: $patientId) { id } }';
const REGISTER = /* GraphQL */ `
  mutation Register($url: String!) {
    registerWebhookEndpoint(input: { url: $url, eventTypes: ["org.healthgraph.claim.adjudicated.v1"] }) { id }
  }
`;
const DISABLE = 'mutation Disable($id: ID!) { disableWebhookEndpoint(id: $id) { id status } }';

const quotaOf = (answer: Answer) => (answer.errors ?? []).map((error) => ({ code: error.extensions?.code, reason: error.extensions?.reason }));

describe('finding 8: quotas as policy', () => {
  let seeded: SeededSystem;

  beforeAll(async () => {
    seeded = await startSeededSystem();
  });
  afterAll(() => seeded?.close());

  it('a patient holds at most the quota of appointments to come; the slot refused stays free', async () => {
    const open = async (id: string) =>
      (await column<number>(seeded.db.appointments, "SELECT count(*)::int FROM appointment WHERE patient_id = $1 AND status IN ('BOOKED', 'CONFIRMED') AND starts_at > now()", [id]))[0]!;
    const patientId = (await column(seeded.db.patients, 'SELECT id FROM patient ORDER BY id LIMIT 1'))[0];
    const already = await open(patientId!);
    expect(already).toBeLessThan(quotas.openAppointmentsPerPatient);
    const slots = await column(seeded.db.appointments, "SELECT id FROM slot WHERE status = 'FREE' AND starts_at > now() + interval '1 hour' ORDER BY starts_at, id LIMIT 40");
    const patient = await seeded.as(patientToken(patientId!));

    const answers: Answer[] = [];
    for (const slotId of slots) answers.push(await patient(BOOK, { slotId, patientId }));
    const booked = answers.filter((answer) => answer.data?.bookAppointment);
    expect(booked).toHaveLength(quotas.openAppointmentsPerPatient - already);
    const refused = answers.filter((answer) => !answer.data?.bookAppointment);
    expect(refused.map(quotaOf)).toEqual(refused.map(() => [{ code: 'QUOTA_EXCEEDED', reason: 'OPEN_APPOINTMENTS_PER_PATIENT' }]));
    expect(await open(patientId!)).toBe(quotas.openAppointmentsPerPatient);
    const refusedSlot = slots[answers.indexOf(refused[0]!)];
    expect(await column(seeded.db.appointments, 'SELECT status FROM slot WHERE id = $1', [refusedSlot])).toEqual(['FREE']);
  });

  it('an organisation holds at most the quota of active webhook endpoints', async () => {
    const payer = await seeded.as(payerToken('pay-02'));
    const answers: Answer[] = [];
    for (let n = 0; n < quotas.webhookEndpointsPerOrganization + 5; n++) answers.push(await payer(REGISTER, { url: `https://hooks-${n}.payer.example/claims` }));
    const registered = answers.filter((answer) => answer.data?.registerWebhookEndpoint);
    expect(registered).toHaveLength(quotas.webhookEndpointsPerOrganization);
    expect(answers.slice(quotas.webhookEndpointsPerOrganization).map(quotaOf)).toEqual(
      Array(5).fill([{ code: 'QUOTA_EXCEEDED', reason: 'WEBHOOK_ENDPOINTS_PER_ORGANIZATION' }]),
    );
    // Disabling one makes room for another.
    expect((await payer(DISABLE, { id: registered[0]!.data!.registerWebhookEndpoint.id })).errors).toBeUndefined();
    expect((await payer(REGISTER, { url: 'https://hooks-again.payer.example/claims' })).errors).toBeUndefined();
  });

  it('an organisation holds at most the quota of active endpoints on one host', async () => {
    const payer = await seeded.as(payerToken('pay-03'));
    const answers: Answer[] = [];
    for (let n = 0; n < 6; n++) answers.push(await payer(REGISTER, { url: `https://target.payer.example/claims/${n}` }));
    expect(answers.filter((answer) => answer.data?.registerWebhookEndpoint)).toHaveLength(quotas.webhookEndpointsPerTarget);
    expect(answers.slice(quotas.webhookEndpointsPerTarget).map(quotaOf)).toEqual(
      Array(6 - quotas.webhookEndpointsPerTarget).fill([{ code: 'QUOTA_EXCEEDED', reason: 'WEBHOOK_ENDPOINTS_PER_TARGET' }]),
    );
    // Another organisation's endpoints on that host are its own.
    expect((await (await seeded.as(payerToken('pay-04')))(REGISTER, { url: 'https://target.payer.example/claims/0' })).errors).toBeUndefined();
  });

  it("a caller's subscriptions are counted across all its sockets; another caller is not held back", async () => {
    const url = seeded.url.replace(/^http/, 'ws');
    const { authorization } = await bearerFor({ role: 'front_desk', subject: 'desk-many-sockets' });
    const sockets = Array.from({ length: 3 }, () => connectSubscriber(url, authorization));
    const streams: EventStream[] = [];
    for (const socket of sockets) for (let n = 0; n < 40; n++) streams.push(socket.subscribe('subscription { patientEvents { id } }'));
    const over = streams.length - quotas.subscriptionsPerCaller;
    await waitFor('the refusals', () => streams.filter((stream) => stream.failure() !== undefined).length >= over);
    const failures = streams.map((stream) => stream.failure()).filter((failure) => failure !== undefined);
    expect(failures).toEqual(
      Array(over).fill([expect.objectContaining({ extensions: { code: 'QUOTA_EXCEEDED', reason: 'SUBSCRIPTIONS_PER_CALLER', limit: quotas.subscriptionsPerCaller } })]),
    );

    const other = connectSubscriber(url, (await bearerFor({ role: 'front_desk', subject: 'desk-other' })).authorization);
    const theirs = other.subscribe('subscription { patientEvents { id } }');
    // A refusal comes at once; an accepted subscription stays quiet until an event.
    const probe = sockets[0]!.subscribe('subscription { patientEvents { id } }');
    await waitFor('the probe refused', () => probe.failure() !== undefined);
    expect(theirs.failure()).toBeUndefined();
    for (const socket of [...sockets, other]) await socket.client.dispose();
  });

  it('an operation whose results are filtered to nothing is still charged its minimum: the budget runs out', async () => {
    const desk = await seeded.as({ role: 'front_desk', subject: 'desk-cost' });
    const query = /* GraphQL */ `
      query Nothing($name: String!) {
        patients(search: { name: $name }, first: 32) {
          edges { cursor node { id mrn name { text } appointments { id start status } } }
        }
      }
    `;
    let limited: Answer | undefined;
    let estimate = 0;
    for (let n = 0; n < 200 && !limited; n++) {
      const answer = await desk(query, { name: 'Zzyzxq' });
      if (answer.status === 429) limited = answer;
      else {
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.patients.edges).toEqual([]);
        estimate = answer.extensions!.cost.requestedQueryCost;
      }
    }
    expect(estimate).toBeGreaterThan(700);
    expect(limited?.errors?.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
  });
});
