// Issue 12, finding 2: with Redis away for 31 s every request, reads included, answered 503 "Rate
// limiting is unavailable" while /ready said 200; consumers resumed ~30 s after Redis was back.
// Redis is stopped under patient reads and comes back EMPTY (no persistence): reads keep being served
// (per-replica cost buckets), /ready says degraded naming the cost bucket, and a booking made once
// Redis is back reaches billing (relay and consumer groups resume) within the bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, bookable } from './harness/bookings.ts';
import { expectNoCrash, report, untilAllReady } from './harness/checks.ts';
import { failureCodes } from './harness/load.ts';
import { chartReaders } from './harness/readers.ts';
import { startFaultSystem, type FaultSystem } from './harness/system.ts';

const OUTAGE_MS = 8_000;
/**
 * From Redis back until a booking made then is known to billing: the booking itself, the outbox, the log
 * and a consumer group (consumers alone resume within a second: test/events/consumer-resume.test.ts).
 */
const EVENTS_BOUND_MS = 10_000;
const READY_BOUND_MS = 10_000;

describe('Redis outage', () => {
  let system: FaultSystem;
  beforeAll(async () => {
    system = await startFaultSystem();
  });
  afterAll(() => system?.close());

  it('keeps serving reads, says degraded, and events flow again within the bound once Redis is back (empty)', async () => {
    const load = await chartReaders(system, 'faults-redis-reader', 6);
    await load.untilServed(50);
    await system.redis.stop();
    const downAt = performance.now();
    await load.untilServed(50, OUTAGE_MS * 4);
    const readyMeanwhile = await fetch(new URL('/ready', system.gateway.url));
    const readiness = (await readyMeanwhile.json()) as { status: string; notReady: string[] };
    const waitLeft = OUTAGE_MS - (performance.now() - downAt);
    if (waitLeft > 0) await new Promise((resolve) => setTimeout(resolve, waitLeft));
    await system.redis.start();
    const backAt = performance.now();

    const { slotIds, patientIds } = await bookable(system, 1);
    const frontDesk = await system.bearer({ role: 'front_desk', subject: 'faults-redis-desk' });
    const booking = await book(system, frontDesk, slotIds[0]!, patientIds[0]!);
    expect(booking.appointmentId, JSON.stringify(booking)).toBeDefined();
    const billing = await system.database('billing');
    await expect
      .poll(async () => (await billing.query('SELECT 1 FROM billable_appointment WHERE appointment_id = $1', [booking.appointmentId])).length, { timeout: 60_000, interval: 50 })
      .toBe(1);
    const eventsAfter = performance.now() - backAt;
    const readyAfter = await untilAllReady(system, READY_BOUND_MS + 30_000) + (performance.now() - backAt);
    const outcomes = await load.stop();
    const during = outcomes.filter((outcome) => outcome.sentAt >= downAt && outcome.sentAt < backAt);

    report('Redis outage (comes back empty)', {
      outageMs: Math.round(backAt - downAt),
      servedDuringOutage: during.filter((outcome) => outcome.served).length,
      failedDuringOutage: failureCodes(during),
      readinessDuringOutage: `${readyMeanwhile.status} ${readiness.status} ${readiness.notReady.join(',')}`,
      bookingKnownToBillingAfterMs: Math.round(eventsAfter),
      allReadyAfterMs: Math.round(readyAfter),
    });
    expectNoCrash();
    expect(during.filter((outcome) => !outcome.served)).toEqual([]);
    expect(readyMeanwhile.status).toBe(200);
    // Besides the workflows subgraph, which the harness does not run (see untilAllReady).
    expect({ ...readiness, notReady: readiness.notReady.filter((name: string) => name !== 'workflows') }).toMatchObject({ status: 'degraded', notReady: ['cost bucket'] });
    expect(eventsAfter).toBeLessThan(EVENTS_BOUND_MS);
  });
});
