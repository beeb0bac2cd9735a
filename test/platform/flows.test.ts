import { describe, expect, it } from 'vitest';
import { slotsAround } from '../../platform/operations/daily-schedule.ts';
import { batchStatus, realTimeStatus } from '../../platform/operations/flow-status.ts';
import { flowOf, flows } from '../../policies/flows.ts';
import { subgraphCatalog } from '../../schema/catalog.ts';

const slot = (now: string, at: string, timeZone: string) => {
  const { previous, next } = slotsAround(new Date(now), { at, timeZone });
  return [previous.toISOString(), next.toISOString()];
};

describe('a daily schedule in a time zone', () => {
  it('gives the slot due last and the next one', () => {
    expect(slot('2026-12-07T03:00:00Z', '02:00', 'Europe/Brussels')).toEqual(['2026-12-07T01:00:00.000Z', '2026-12-08T01:00:00.000Z']);
    expect(slot('2026-12-07T00:30:00Z', '02:00', 'Europe/Brussels')).toEqual(['2026-12-06T01:00:00.000Z', '2026-12-07T01:00:00.000Z']);
    expect(slot('2026-12-07T03:00:00Z', '23:30', 'America/New_York')).toEqual(['2026-12-06T04:30:00.000Z', '2026-12-07T04:30:00.000Z']);
    expect(slot('2026-12-07T03:00:00Z', '02:00', 'UTC')).toEqual(['2026-12-07T02:00:00.000Z', '2026-12-08T02:00:00.000Z']);
  });

  it('runs once on the days daylight saving starts and ends', () => {
    // 29 March 2026: Brussels goes from 02:00 to 03:00, so 02:30 is 03:30 summer time.
    expect(slot('2026-03-29T12:00:00Z', '02:30', 'Europe/Brussels')[0]).toBe('2026-03-29T01:30:00.000Z');
    // 25 October 2026: 02:30 happens twice; the first.
    expect(slot('2026-10-25T12:00:00Z', '02:30', 'Europe/Brussels')[0]).toBe('2026-10-25T00:30:00.000Z');
    expect(slot('2026-10-24T12:00:00Z', '02:30', 'Europe/Brussels')).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z']);
  });
});

describe('a flow against its objective', () => {
  const invoices = flowOf('invoice-to-odoo', 'REAL_TIME');
  const now = new Date('2026-12-07T10:00:00Z');

  it('is met while the oldest item has waited no longer than the objective, and missed after', () => {
    expect(realTimeStatus(invoices, { waiting: 0 }, now)).toMatchObject({ met: true, waiting: 0, oldestWaitingSeconds: 0, detail: null });
    expect(realTimeStatus(invoices, { waiting: 2, oldestSince: new Date(now.getTime() - 59_000) }, now)).toMatchObject({ met: true, waiting: 2 });
    const late = realTimeStatus(invoices, { waiting: 2, oldestSince: new Date(now.getTime() - 61_000) }, now);
    expect(late).toMatchObject({ met: false, oldestWaitingSeconds: 61, objective: 'within 60 s' });
    expect(late.detail).toContain('61 s');
  });

  it('is missed when items were given up on, whatever their age', () => {
    expect(realTimeStatus(invoices, { waiting: 0, givenUp: 1 }, now)).toMatchObject({ met: false, detail: '1 given up after retries (dead letters)' });
  });

  it('is met for a batch when a run succeeded for the slot due last, or within the grace after it for the one before', () => {
    const reconciliation = flowOf('reconciliation', 'BATCH');
    const schedule = { previousSlot: new Date('2026-12-07T01:00:00Z'), nextSlot: new Date('2026-12-08T01:00:00Z'), timeZone: 'Europe/Brussels', dailyAt: '02:00' };
    const ran = (at: string, outcome: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED') => ({ at: new Date(at), outcome });
    expect(batchStatus(reconciliation, schedule, ran('2026-12-07T01:00:00Z'), ran('2026-12-07T01:00:00Z'), now)).toMatchObject({ met: true, objective: 'daily at 02:00 (Europe/Brussels)' });
    expect(batchStatus(reconciliation, schedule, ran('2026-12-06T01:00:00Z'), ran('2026-12-06T01:00:00Z'), now)).toMatchObject({ met: false });
    expect(batchStatus(reconciliation, schedule, ran('2026-12-06T01:00:00Z'), ran('2026-12-06T01:00:00Z'), new Date('2026-12-07T01:30:00Z'))).toMatchObject({ met: true });
    expect(batchStatus(reconciliation, schedule, ran('2026-12-06T01:00:00Z'), ran('2026-12-07T01:00:00Z', 'FAILED'), now)).toMatchObject({ met: false, detail: 'the last run failed', lastRunOutcome: 'FAILED' });
    expect(batchStatus(reconciliation, schedule, undefined, undefined, now)).toMatchObject({ met: false, lastRunAt: null });
  });

  it('is owned by a service of the catalog, and a consumer-group flow names a group', () => {
    const services = subgraphCatalog.map(({ name }) => name) as string[];
    for (const flow of Object.values(flows)) {
      expect(services).toContain(flow.owner);
      if (flow.kind === 'REAL_TIME') expect(flow.objectiveSeconds).toBeGreaterThan(0);
    }
  });
});
