// The soak that held in issue 12 (200 subscribers for 3 minutes, 22,000 deliveries, none lost or doubled,
// memory flat), kept holding in production mode: 200 graphql-ws subscribers on the gateway, appointment
// events appended to the Redis log at a steady rate for a minute, each resolved through the graph per
// subscriber. Every subscriber gets every event once, in log order, and the gateway's memory levels off.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEvent } from '../../platform/events/envelope.ts';
import type { EventLog } from '../../platform/events/event-log.ts';
import { openEventLog } from '../../platform/events/open.ts';
import { connectSubscriber, type EventStream, type EventSubscriber } from '../subscriptions/event-client.ts';
import { expectNoCrash, report } from './harness/checks.ts';
import { startFaultSystem, type FaultSystem } from './harness/system.ts';

const SUBSCRIBERS = 200;
const EVENTS = 60;
const EVENTS_PER_SECOND = 1;
/** The gateway's resident memory at the end over that after the first quarter: growth, not a leak, stays under this. */
const RSS_GROWTH_BOUND = 1.5;

const CONFIRMED = 'org.healthgraph.appointment.confirmed.v1';
const EVENTS_OF = `subscription($after: ID) { appointmentEvents(filter: { types: [CONFIRMED] }, after: $after) { id type appointment { id } } }`;

const residentMiB = async (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe('a subscription soak', () => {
  let system: FaultSystem;
  let log: EventLog;
  const subscribers: EventSubscriber[] = [];
  beforeAll(async () => {
    system = await startFaultSystem();
    log = await openEventLog({ redisUrl: system.redis.url, keyPrefix: 'healthgraph:', maxLength: 10_000, commandTimeoutMs: 5_000 });
  });
  afterAll(async () => {
    await Promise.all(subscribers.map((subscriber) => subscriber.client.dispose()));
    await log?.close();
    await system?.close();
  });

  it(`delivers every event once, in order, to ${SUBSCRIBERS} subscribers, with the gateway's memory flat`, async () => {
    const appointments = await system.database('appointments');
    const booked = await appointments.query<{ id: string; patient_id: string }>(`SELECT id, patient_id FROM appointment ORDER BY id LIMIT $1`, [EVENTS]);
    const url = system.url.replace(/^http/, 'ws');
    const streams: EventStream[] = [];
    // From the log's end as it is now: a subscription still being set up when the first event comes replays it.
    const after = await log.lastId();
    for (let n = 0; n < SUBSCRIBERS; n++) {
      const { authorization } = await system.bearer({ role: 'front_desk', subject: `faults-soak-${n}` });
      const subscriber = connectSubscriber(url, authorization);
      subscribers.push(subscriber);
      streams.push(subscriber.subscribe(EVENTS_OF, { after }));
    }
    // Every subscription is open once a first event has reached each.
    const expected: string[] = [];
    const appendOne = async (n: number) => {
      const appointment = booked[n % booked.length]!;
      await log.append(domainEvent(CONFIRMED, { appointmentId: appointment.id, patientId: appointment.patient_id }, n + 1));
      expected.push(appointment.id);
    };
    await appendOne(0);
    await expect.poll(() => streams.filter((stream) => stream.results.length > 0).length, { timeout: 60_000, interval: 100 }).toBe(SUBSCRIBERS);

    const pid = system.gateway.child.pid!;
    let rssAfterWarmUp = 0;
    let rssPeak = 0;
    const started = performance.now();
    for (let n = 1; n < EVENTS; n++) {
      // Paced by the clock, not by sleeps of a fixed length: a slow append does not slow the rate.
      const due = started + (n * 1000) / EVENTS_PER_SECOND;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      await appendOne(n);
      const rss = await residentMiB(pid);
      rssPeak = Math.max(rssPeak, rss);
      if (n === Math.floor(EVENTS / 4)) rssAfterWarmUp = rss;
    }
    const appointmentIds = (stream: EventStream) => stream.results.map((result) => result.data?.appointmentEvents?.appointment?.id as string);
    await expect
      .poll(() => streams.filter((stream) => stream.results.length >= EVENTS).length, { timeout: 60_000, interval: 250 })
      .toBe(SUBSCRIBERS);
    const rssEnd = await residentMiB(pid);

    const wrong = streams.map((stream, n) => ({ n, ids: appointmentIds(stream), failure: stream.failure() })).filter(({ ids, failure }) => failure || JSON.stringify(ids) !== JSON.stringify(expected));
    const logIds = streams[0]!.results.map((result) => result.data?.appointmentEvents?.id as string);
    report('subscription soak', {
      subscribers: SUBSCRIBERS,
      events: EVENTS,
      deliveries: streams.reduce((sum, stream) => sum + stream.results.length, 0),
      wrongStreams: wrong.length,
      gatewayRssMiB: { afterWarmUp: Math.round(rssAfterWarmUp), peak: Math.round(rssPeak), end: Math.round(rssEnd) },
    });
    expect(wrong.slice(0, 3)).toEqual([]);
    expect(new Set(logIds).size).toBe(EVENTS);
    expectNoCrash();
    expect(rssEnd).toBeLessThan(rssAfterWarmUp * RSS_GROWTH_BOUND);
  });
});
