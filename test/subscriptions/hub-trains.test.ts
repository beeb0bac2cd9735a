import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../platform/audit/access-record.ts';
import type { Caller } from '../../platform/caller.ts';
import { domainEvent } from '../../platform/events/envelope.ts';
import type { EventLog } from '../../platform/events/event-log.ts';
import { openEventLog } from '../../platform/events/open.ts';
import { placementOf } from '../../platform/events/topics.ts';
import { createLogger } from '../../platform/logger.ts';
import { supergraphPath } from '../../schema/catalog.ts';
import { defaultOperationLimits } from '../../gateway/limits/operation-limits.ts';
import { deliveryRecords } from '../../gateway/subscriptions/delivery-records.ts';
import { startEventHub, type EventHub } from '../../gateway/subscriptions/event-hub.ts';
import type { SubscriberConnection } from '../../gateway/subscriptions/subscriber.ts';
import { subscriptionSchema } from '../../gateway/subscriptions/subscription-schema.ts';
import { readSubscriptionRequest, type SubscriptionRequest } from '../../gateway/subscriptions/subscription-request.ts';

const schema = subscriptionSchema(readFileSync(supergraphPath, 'utf8'));
const SELECTION = 'subscription ($after: ID) { appointmentEvents(after: $after) { id type appointment { id } } }';

function request(variables: Record<string, unknown> = {}): SubscriptionRequest {
  const read = readSubscriptionRequest(schema, { query: SELECTION, variables }, defaultOperationLimits);
  if (Array.isArray(read)) throw read[0];
  return read;
}

const caller = (subject: string) => ({ subject, clientId: 'portal', roles: ['front_desk'], scopes: [], expiresAt: 2e9 }) as Caller;

/** A socket that keeps the payloads the hub wrote to it. */
function connection() {
  const payloads: Buffer[] = [];
  const socket: SubscriberConnection = { sendNext: (payload) => void payloads.push(payload), bufferedAmount: () => 0, socket: {}, close: () => undefined };
  return { payloads, socket };
}

describe("the hub's trains", () => {
  let log: EventLog;
  let hub: EventHub;
  afterEach(async () => {
    await hub.close();
    await log.close();
  });

  it("writes the same bytes to every subscriber of a group, each named in the event's one record, a replaying one too once caught up", async () => {
    log = await openEventLog({ keyPrefix: 'hub-trains:', maxLength: 1_000, commandTimeoutMs: 1_000 });
    const written: AccessRecord[][] = [];
    let resolutions = 0;
    hub = await startEventHub({
      eventLog: log,
      logger: createLogger('hub-trains-test'),
      readEntity: async () => ({ entity: null, errors: [], held: [] }),
      resolveEvent: async (_selection, _class, _caller, logged) => {
        resolutions++;
        return { data: { appointmentEvents: { id: logged.logId, type: placementOf(logged.event)!.name, appointment: { id: 'apt-1' } } } };
      },
      records: deliveryRecords(schema, async (records) => void written.push(records)),
    });
    const publish = () => log.append(domainEvent('org.healthgraph.appointment.booked.v1', { appointmentId: 'apt-1', patientId: 'pat-1', slotId: 's' }, 1));
    const live = ['desk-1', 'desk-2', 'desk-3'].map((subject) => ({ subject, ...connection() }));
    for (const { subject, socket } of live) void hub.join(request(), caller(subject), socket).next();
    const first = await publish();
    await expect.poll(() => live.every(({ payloads }) => payloads.length === 1)).toBe(true);

    // Joins after the first event and replays it, then takes the second with the others.
    const late = { subject: 'desk-4', ...connection() };
    void hub.join(request({ after: '0-0' }), caller(late.subject), late.socket).next();
    await expect.poll(() => late.payloads.length).toBe(1);
    const before = written.length;
    const second = await publish();
    await expect.poll(() => [...live, late].every(({ payloads }) => payloads.length === 2)).toBe(true);

    for (const { payloads } of [...live, late]) expect(payloads.map((bytes) => JSON.parse(bytes.toString()).data.appointmentEvents.id)).toEqual([first, second]);
    for (const { payloads } of live.slice(1)) expect(payloads[1]).toBe(live[0]!.payloads[1]);
    expect(late.payloads[1]).toBe(live[0]!.payloads[1]);
    // The second event's deliveries: one record, naming every subscriber it went to.
    const deliveries = written.slice(before).flat().filter((record) => record.operationType === 'subscription');
    expect(deliveries.map((record) => record.recipients)).toEqual([['desk-1', 'desk-2', 'desk-3', 'desk-4']]);
    expect(resolutions).toBe(2);
  });
});
