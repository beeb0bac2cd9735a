import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { RunningSystem } from '../../launcher.ts';
import type { AccessRecord } from '../../platform/audit/access-record.ts';
import { startTestSystem } from '../support/test-system.ts';
import type { TokenRequest } from '../../gateway/authentication/embedded-issuer.ts';
import type { EventPayloads, EventType } from '../../platform/events/catalog.ts';
import { domainEvent } from '../../platform/events/envelope.ts';
import type WebSocket from 'ws';
import { bearerFor } from '../support/tokens.ts';
import { connectSubscriber, waitFor, type EventStream } from './event-client.ts';
import { startSubscribedGateway, type SubscribedGateway } from './subscribed-gateway.ts';
import { OVER_BUDGET } from '../../gateway/subscriptions/buffer-budget.ts';
import { TOO_SLOW } from '../../gateway/subscriptions/subscriber.ts';

const PAYER = 'pay-01';
const INITIALS = /^([A-Z]\. ?)+$/;

const APPOINTMENT_EVENTS = /* GraphQL */ `
  subscription ($after: ID) { appointmentEvents(after: $after) { id type appointment { id patient { id name { text } } } } }
`;

/** Every field of the appointment: large messages, which fill a socket's buffers in a few dozen events. */
const FULL_APPOINTMENT_EVENTS = /* GraphQL */ `
  subscription ($after: ID) {
    appointmentEvents(after: $after) {
      id type time
      appointment {
        id status start end serviceType bookedAt
        patient { id mrn name { family given text } birthDate gender address { line city postalCode country } }
        practitioner { id name { text } specialty }
        location { id name city }
      }
    }
  }
`;

type ClaimRow = { claimId: string; patientId: string; payerId: string };
type AppointmentRow = { id: string; patientId: string; practitionerId: string };

const authorization = async (request: TokenRequest) => (await bearerFor(request)).authorization!;
const eventIds = (stream: EventStream, field = 'appointmentEvents') => stream.results.map((result) => result.data?.[field]?.id as string);

describe('subscriptions over graphql-ws on the embedded system', () => {
  let system: RunningSystem;
  let gateway: SubscribedGateway;
  let members: AppointmentRow[];
  let others: AppointmentRow[];
  let ownClaim: ClaimRow;
  let otherClaim: ClaimRow;

  const publish = <T extends EventType>(type: T, data: EventPayloads[T]) => system.eventLog.append(domainEvent(type, data, 1));
  const booked = ({ id, patientId }: AppointmentRow) => publish('org.healthgraph.appointment.booked.v1', { appointmentId: id, patientId, slotId: 'slot-test' });

  beforeAll(async () => {
    system = await startTestSystem({ gatewayPort: 0, seedDemoData: true });
    const subgraphUrls = Object.fromEntries(Object.values(system.subgraphs).map((subgraph) => [subgraph.name, subgraph.url]));
    gateway = await startSubscribedGateway({
      subgraphUrls,
      environment: system.environment,
      eventLog: system.eventLog,
      // Small limits, so a slow consumer shows quickly: events go to its socket at once, so bytes pile up, not events.
      hub: { maxPendingEvents: 20, maxBufferedBytes: 256 * 1024, replayBatchSize: 2 },
    });
    const covered = await system.subgraphs.patients.database.query<{ patientId: string }>(
      `SELECT patient_id AS "patientId" FROM coverage WHERE payer_id = $1 AND status = 'ACTIVE'`,
      [PAYER],
    );
    const memberIds = new Set(covered.map(({ patientId }) => patientId));
    const appointments = await system.subgraphs.appointments.database.query<AppointmentRow>(
      'SELECT id, patient_id AS "patientId", practitioner_id AS "practitionerId" FROM appointment ORDER BY id LIMIT 300',
    );
    members = appointments.filter((row) => memberIds.has(row.patientId)).slice(0, 3);
    others = appointments.filter((row) => !memberIds.has(row.patientId) && row.practitionerId !== members[0]!.practitionerId).slice(0, 2);
    const claims = await system.subgraphs.billing.database.query<ClaimRow>(
      'SELECT id AS "claimId", patient_id AS "patientId", payer_id AS "payerId" FROM claim ORDER BY id',
    );
    ownClaim = claims.find((claim) => claim.payerId === PAYER)!;
    otherClaim = claims.find((claim) => claim.payerId !== PAYER)!;
  });
  afterAll(async () => {
    await gateway?.close();
    await system?.close();
  });

  it("gives a payer only its members' events, minimized, and the front desk every event in full (on the system's gateway)", async () => {
    const url = system.gateway.url.replace(/^http/, 'ws');
    const after = await system.eventLog.lastId();
    const payer = connectSubscriber(url, await authorization({ role: 'payer_partner', organization: PAYER }));
    const payerAppointments = payer.subscribe(APPOINTMENT_EVENTS, { after });
    const payerClaims = payer.subscribe(
      /* GraphQL */ `subscription ($after: ID) { billingEvents(after: $after, filter: { types: [CLAIM_SUBMITTED] }) { id type claim { id patient { name { text } } } } }`,
      { after },
    );
    const frontDesk = connectSubscriber(url, await authorization({ role: 'front_desk' }));
    const everything = frontDesk.subscribe(APPOINTMENT_EVENTS, { after });

    const [member, secondMember] = members;
    const sequence = [others[0]!, member!, others[1]!, secondMember!];
    for (const appointment of sequence) await booked(appointment);
    await publish('org.healthgraph.claim.submitted.v1', otherClaim);
    await publish('org.healthgraph.claim.submitted.v1', ownClaim);

    await waitFor('the front desk to see every appointment event', () => everything.results.length === sequence.length);
    // Events reach a subscriber in log order: once the last member event is in, every earlier one was decided.
    await waitFor("the payer's member events", () => payerAppointments.results.length >= 2 && payerClaims.results.length >= 1);

    const seen = (stream: EventStream) => stream.results.map((result) => result.data!.appointmentEvents.appointment);
    expect(seen(payerAppointments).map((appointment) => appointment.id)).toEqual([member!.id, secondMember!.id]);
    for (const appointment of seen(payerAppointments)) expect(appointment.patient.name.text).toMatch(INITIALS);
    expect(payerClaims.results.map((result) => result.data!.billingEvents.claim.id)).toEqual([ownClaim.claimId]);
    expect(payerClaims.results[0]!.data!.billingEvents.claim.patient.name.text).toMatch(INITIALS);

    expect(seen(everything).map((appointment) => appointment.id)).toEqual(sequence.map((appointment) => appointment.id));
    for (const appointment of seen(everything)) expect(appointment.patient.name.text).not.toMatch(INITIALS);
    expect(everything.results.every((result) => result.data!.appointmentEvents.type === 'BOOKED' && !result.errors)).toBe(true);
    await payer.client.dispose();
    await frontDesk.client.dispose();
  });

  it('resolves an event once for subscribers with the same selection and rights, and a burst in batches', async () => {
    const BURST = 10;
    // A gateway of its own: its reads can be held, and with BURST resolutions under way its hub stops reading the log.
    const batching = await startSubscribedGateway({
      subgraphUrls: Object.fromEntries(Object.values(system.subgraphs).map((subgraph) => [subgraph.name, subgraph.url])),
      environment: system.environment,
      eventLog: system.eventLog,
      hub: { maxResolutionsInFlight: BURST },
    });
    onTestFinished(() => batching.close());
    const selection = /* GraphQL */ `subscription { appointmentEvents { id appointment { id status serviceType start } } }`;
    const first = connectSubscriber(batching.url, await authorization({ role: 'front_desk', subject: 'desk-one' }));
    const second = connectSubscriber(batching.url, await authorization({ role: 'front_desk', subject: 'desk-two' }));
    const streams = [first.subscribe(selection), second.subscribe(selection)];
    // Live only: publish until both are surely subscribed.
    await waitFor('both subscriptions to be live', () => {
      void booked(members[0]!);
      return streams.every((stream) => stream.results.length > 0);
    });
    const warmedUp = await booked(members[0]!);
    await waitFor('the warm-up events', () => streams.every((stream) => eventIds(stream).includes(warmedUp)));
    const isResolution = (query: string) => /serviceType\s+start/.test(query);
    const resolutionReads = () => batching.reads.filter(isResolution);
    const idsIn = (queries: string[]) => queries.reduce((sum, query) => sum + (query.match(/\$__entityId\d+: ID!/g) ?? []).length, 0);

    // One at a time, each delivered before the next: no batching, one read per event.
    const oneByOne = resolutionReads().length;
    for (const appointment of [...members, ...others]) {
      const published = await booked(appointment);
      await waitFor('the event at both subscribers', () => streams.every((stream) => eventIds(stream).includes(published)));
    }
    expect(resolutionReads().length - oneByOne).toBe(5);

    // Reads held, one event more than may be under way: the hub waits for them and reads the log no further...
    const held = batching.holdReads();
    const waitedFor = [];
    for (let n = 0; n <= BURST; n++) waitedFor.push(await booked(members[n % members.length]!));
    await waitFor('every event ahead of the burst read, its answer held', () => {
      const resolving = held.queries.filter(isResolution);
      return idsIn(resolving) === waitedFor.length && held.answered() === held.queries.length;
    });
    // ...so a burst published meanwhile is read from the log at once once they all end, and through the gateway in one read.
    const burstReads = resolutionReads().length;
    const burst = await Promise.all(Array.from({ length: BURST }, (_, n) => booked(members[n % members.length]!)));
    held.release();
    await waitFor('the burst at both subscribers', () => streams.every((stream) => eventIds(stream).includes(burst.at(-1)!)));
    expect(resolutionReads().slice(burstReads).map((query) => idsIn([query]))).toEqual([BURST]);
    for (const stream of streams) expect(eventIds(stream).slice(-(waitedFor.length + BURST))).toEqual([...waitedFor, ...burst]);

    // One read served both, yet each desk's deliveries were on record, under its own name, before they were sent: no waiting here.
    const delivered = [...new Set([...members, ...others].map((appointment) => appointment.patientId))].sort();
    const recorded = async (subject: string) => {
      const rows = await system.subgraphs.audit.database.query<{ patient_ids: string[]; fields_returned: string[] }>(
        `SELECT patient_ids, fields_returned FROM audit_event WHERE recipients @> ARRAY[$1::text] AND operation_type = 'subscription'`,
        [subject],
      );
      return { patients: [...new Set(rows.flatMap((row) => row.patient_ids))].sort(), fields: [...new Set(rows.flatMap((row) => row.fields_returned))].sort() };
    };
    for (const subject of ['desk-one', 'desk-two']) {
      expect(await recorded(subject)).toEqual({
        patients: delivered,
        fields: ['Appointment.id', 'Appointment.serviceType', 'Appointment.start', 'Appointment.status', 'AppointmentEvent.appointment', 'AppointmentEvent.id', 'Subscription.appointmentEvents'],
      });
    }
    // Members taking an event together share one record naming both.
    const [shared] = await system.subgraphs.audit.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_event WHERE recipients = ARRAY['desk-one', 'desk-two'] AND operation_type = 'subscription'`,
    );
    expect(shared!.n).toBeGreaterThan(0);
    await first.client.dispose();
    await second.client.dispose();
  });

  it("puts an event's read through the gateway on record in the transaction of its delivery's record, and a withheld event's read alone", async () => {
    const writes: AccessRecord[][] = [];
    const audit = (records: AccessRecord[]) => (writes.push(records), system.environment.audit(records));
    const recording = await startSubscribedGateway({
      subgraphUrls: Object.fromEntries(Object.values(system.subgraphs).map((subgraph) => [subgraph.name, subgraph.url])),
      environment: { ...system.environment, audit },
      eventLog: system.eventLog,
    });
    onTestFinished(() => recording.close());
    const payer = connectSubscriber(recording.url, await authorization({ role: 'payer_partner', organization: PAYER, subject: 'payer-one-write' }));
    const stream = payer.subscribe(APPOINTMENT_EVENTS, { after: await system.eventLog.lastId() });
    const [other, member] = [others[0]!, members[0]!];
    await booked(other);
    const delivered = await booked(member);
    await waitFor('the member event', () => eventIds(stream).includes(delivered));

    const about = (patientId: string, operationType: string) => (records: AccessRecord[]) =>
      records.some((record) => record.operationType === operationType && record.patientIds.includes(patientId));
    // Record, then release, at one commit per event: the read's record and the delivery's in one write.
    const deliveryWrites = writes.filter(about(member.patientId, 'subscription'));
    expect(deliveryWrites).toHaveLength(1);
    expect(writes.filter(about(member.patientId, 'query'))).toEqual(deliveryWrites);
    // Nothing delivered for the other patient's event, yet the payer's refused read of it is on record
    // (alone, or in the same write when one read served both events).
    const otherRead = writes.flat().filter((record) => record.operationType === 'query' && record.patientIds.includes(other.patientId));
    expect(writes.filter(about(other.patientId, 'subscription'))).toEqual([]);
    expect(otherRead.map((record) => record.outcome)).toEqual(['denied']);
    await payer.client.dispose();
  });

  it('replays what a reconnecting subscriber missed, then goes live, with no gap and no duplicate', async () => {
    const token = await authorization({ role: 'front_desk' });
    const before = connectSubscriber(gateway.url, token);
    const firstRun = before.subscribe(APPOINTMENT_EVENTS, { after: await system.eventLog.lastId() });
    const seenFirst = [];
    for (const appointment of members) seenFirst.push(await booked(appointment));
    await waitFor('the first events', () => firstRun.results.length === 3);
    expect(eventIds(firstRun)).toEqual(seenFirst);
    await before.client.dispose();

    const missed = [];
    for (const appointment of [...others, ...members]) missed.push(await booked(appointment));
    const again = connectSubscriber(gateway.url, token);
    const resumed = again.subscribe(APPOINTMENT_EVENTS, { after: seenFirst.at(-1) });
    // Published while the replay runs, two events per read: they arrive live, held until it catches up.
    const live = [];
    for (const appointment of [...members, ...others]) live.push(await booked(appointment));
    await waitFor('the missed and the live events', () => resumed.results.length >= missed.length + live.length);
    const sentinel = await booked(members[0]!);
    await waitFor('the sentinel', () => eventIds(resumed).includes(sentinel));

    expect(eventIds(resumed)).toEqual([...missed, ...live, sentinel]);
    await again.client.dispose();
  });

  it('filters by event type, patient and practitioner', async () => {
    const after = await system.eventLog.lastId();
    const [target] = members;
    const subscriber = connectSubscriber(gateway.url, await authorization({ role: 'clinician' }));
    const byPatient = subscriber.subscribe(
      /* GraphQL */ `subscription ($after: ID, $patientId: ID) { appointmentEvents(after: $after, filter: { patientId: $patientId, types: [CANCELLED] }) { id type } }`,
      { after, patientId: target!.patientId },
    );
    const byPractitioner = subscriber.subscribe(
      /* GraphQL */ `subscription ($after: ID, $filter: AppointmentEventFilter) { appointmentEvents(after: $after, filter: $filter) { id type } }`,
      { after, filter: { practitionerId: target!.practitionerId } },
    );
    const cancelled = (row: AppointmentRow) =>
      publish('org.healthgraph.appointment.cancelled.v1', { appointmentId: row.id, patientId: row.patientId, slotId: 'slot-test' });
    const targetBooked = await booked(target!);
    await cancelled(others[0]!);
    const targetCancelled = await cancelled(target!);

    await waitFor('the filtered events', () => byPatient.results.length >= 1 && byPractitioner.results.length >= 2);
    expect(eventIds(byPatient)).toEqual([targetCancelled]);
    expect(eventIds(byPractitioner)).toEqual([targetBooked, targetCancelled]);
    await subscriber.client.dispose();
  });

  it('cuts off a subscriber that reads too slowly (1013), while another keeps receiving', async () => {
    let slowSocket: WebSocket | undefined;
    // Paused at connection_ack: it sends its subscriptions, then reads nothing more.
    const slow = connectSubscriber(gateway.url, await authorization({ role: 'front_desk', subject: 'desk-slow' }), (socket) => (slowSocket = socket).pause());
    // Many subscriptions on one socket fill its kernel buffers (megabytes on loopback) in a few dozen events.
    const after = await system.eventLog.lastId();
    for (let n = 0; n < 100; n++) slow.subscribe(FULL_APPOINTMENT_EVENTS, { after });
    // Live, not replaying, when the run of events starts: a replay holds what comes meanwhile within the same small limit.
    const steady = connectSubscriber(gateway.url, await authorization({ role: 'front_desk', subject: 'desk-steady' })).subscribe(APPOINTMENT_EVENTS);
    await waitFor('the steady subscription to be live', () => {
      void booked(members[0]!);
      return steady.results.length > 0;
    });
    const warmedUp = await booked(members[0]!);
    await waitFor('the last warm-up event', () => eventIds(steady).includes(warmedUp));
    const before = steady.results.length;

    // At a pace the steady subscriber keeps up with (it may have 20 events waiting): ten at a time.
    const published = [];
    for (let n = 0; n < 100; n++) {
      published.push(await booked(members[n % members.length]!));
      if (published.length % 10 === 0) await waitFor('the steady subscriber to keep up', () => steady.results.length === before + published.length);
    }
    expect(eventIds(steady).slice(before)).toEqual(published);
    expect(steady.results.filter((result) => result.errors)).toEqual([]);

    slowSocket!.resume();
    expect(await slow.closed).toEqual(TOO_SLOW);
  });

  it('bounds what all sockets hold together: past the budget, the stalled ones are cut off and the rest go on', async () => {
    const subgraphUrls = Object.fromEntries(Object.values(system.subgraphs).map((subgraph) => [subgraph.name, subgraph.url]));
    // No subscriber reaches its own limit here: only the gateway-wide budget can cut one off.
    const budgeted = await startSubscribedGateway({
      subgraphUrls,
      environment: system.environment,
      eventLog: system.eventLog,
      hub: { maxPendingEvents: 10_000, maxBufferedBytes: 64 * 1024 * 1024, maxBufferedBytesTotal: 512 * 1024 },
    });
    try {
      const after = await system.eventLog.lastId();
      const pausedSockets: WebSocket[] = [];
      const stalled = await Promise.all(
        ['desk-stalled-one', 'desk-stalled-two'].map(async (subject) => {
          const subscriber = connectSubscriber(budgeted.url, await authorization({ role: 'front_desk', subject }), (socket) => {
            socket.pause();
            pausedSockets.push(socket);
          });
          for (let n = 0; n < 50; n++) subscriber.subscribe(FULL_APPOINTMENT_EVENTS, { after });
          return subscriber;
        }),
      );
      const steady = connectSubscriber(budgeted.url, await authorization({ role: 'front_desk', subject: 'desk-budgeted' })).subscribe(APPOINTMENT_EVENTS, { after });
      const published = [];
      for (let n = 0; n < 150; n++) published.push(await booked(members[n % members.length]!));
      await waitFor('every event at the steady subscriber', () => steady.results.length === published.length, 30_000);
      expect(eventIds(steady)).toEqual(published);
      // The budget is weighed every second: the paused sockets stay full until it has cut them off (their 100 subscriptions end).
      await waitFor('the stalled sockets cut off', () => budgeted.open() === 1, 10_000);
      // A paused socket reads its close frame once it reads again.
      for (const socket of pausedSockets) socket.resume();
      for (const { closed } of stalled) expect(await closed).toEqual(OVER_BUDGET);
    } finally {
      await budgeted.close();
    }
  }, 90_000);

  it('replays a backlog only as fast as the socket takes it, rather than cutting off a subscriber that reads it slowly', async () => {
    const after = await system.eventLog.lastId();
    const backlog = [];
    for (let n = 0; n < 300; n++) backlog.push(await booked(members[n % members.length]!));
    let socket: WebSocket | undefined;
    // Reads nothing for a while: the replay must wait for it, not fill its socket past the limit.
    const reader = connectSubscriber(gateway.url, await authorization({ role: 'front_desk', subject: 'desk-replaying' }), (opened) => (socket = opened).pause());
    const streams = Array.from({ length: 20 }, () => reader.subscribe(FULL_APPOINTMENT_EVENTS, { after }));
    // The replay has filled the socket as far as it may (half the 256 KiB limit) and now waits for the reader.
    await waitFor('the replay to wait on the socket', () => gateway.unsentBytes() > 128 * 1024);
    socket!.resume();
    await waitFor('the whole backlog on every subscription', () => streams.every((stream) => stream.results.length === backlog.length), 20_000);
    for (const stream of streams) expect(eventIds(stream)).toEqual(backlog);
    await reader.client.dispose();
  });

  it('closes the connection with 4403 when its token expires', async () => {
    const subscriber = connectSubscriber(gateway.url, await authorization({ role: 'front_desk', ttlSeconds: 2 }));
    subscriber.subscribe(APPOINTMENT_EVENTS);
    const closing = await subscriber.closed;
    expect(closing.code).toBe(4403);
    expect(closing.reason).toMatch(/expired/);
  });

  it('refuses connection_init with a bad token or none (4403)', async () => {
    for (const token of ['Bearer not.a.token', undefined]) {
      const subscriber = connectSubscriber(gateway.url, token);
      subscriber.subscribe(APPOINTMENT_EVENTS);
      expect((await subscriber.closed).code).toBe(4403);
    }
  });

  it('applies the operation limits to subscription documents, and serves subscriptions only', async () => {
    const subscriber = connectSubscriber(gateway.url, await authorization({ role: 'front_desk' }));
    const aliases = Array.from({ length: 31 }, (_, n) => `a${n}: id`).join(' ');
    const tooWide = subscriber.subscribe(`subscription { appointmentEvents { id appointment { ${aliases} } } }`);
    const query = subscriber.subscribe('{ __typename }');
    await waitFor('both refusals', () => Boolean(tooWide.failure() && query.failure()));
    const codeOf = (stream: EventStream) => (stream.failure() as Array<{ extensions?: { code?: string } }>)[0]?.extensions?.code;
    expect(codeOf(tooWide)).toBe('MAX_ALIASES_EXCEEDED');
    expect(codeOf(query)).toBe('BAD_REQUEST');
    await subscriber.client.dispose();
  });

  it('holds at most 100 subscriptions of one caller, and takes another once one completes', async () => {
    const subscriber = connectSubscriber(gateway.url, await authorization({ role: 'front_desk' }));
    const selection = 'subscription { patientEvents { id } }';
    const stops = Array.from({ length: 100 }, () => subscriber.client.subscribe({ query: selection }, { next: () => undefined, error: () => undefined, complete: () => undefined }));
    const overLimit = subscriber.subscribe(selection);
    await waitFor('the refusal', () => overLimit.failure() !== undefined);
    expect(overLimit.failure()).toEqual([expect.objectContaining({ extensions: { code: 'QUOTA_EXCEEDED', reason: 'SUBSCRIPTIONS_PER_CALLER', limit: 100 } })]);
    stops[0]!();
    // The completion reaches the gateway a moment later: a subscription asked for before then is refused, so ask until one is taken.
    const answered = async () => {
      const stream = subscriber.subscribe(selection);
      await waitFor('an event or a refusal', () => {
        void publish('org.healthgraph.patient.updated.v1', { patientId: members[0]!.patientId, changed: ['telecom'] });
        return stream.results.length > 0 || stream.failure() !== undefined;
      });
      return stream;
    };
    let afterOneEnded = await answered();
    for (let asked = 1; afterOneEnded.failure() !== undefined && asked < 50; asked++) {
      expect(afterOneEnded.failure()).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ reason: 'SUBSCRIPTIONS_PER_CALLER' }) })]);
      afterOneEnded = await answered();
    }
    expect(afterOneEnded.failure()).toBeUndefined();
    expect(afterOneEnded.results.length).toBeGreaterThan(0);
    await subscriber.client.dispose();
  });
});
