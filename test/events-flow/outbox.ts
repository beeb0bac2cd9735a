import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Database } from '../../platform/database/database.ts';
import type { DomainEvent } from '../../platform/events/envelope.ts';
import type { RunningSubgraph } from '../../platform/subgraph/service.ts';

/** `org.healthgraph.appointment.booked.v1` as `appointment.booked`. */
export const shortType = ({ type }: DomainEvent) => type.split('.').slice(2, 4).join('.');

/** A subgraph's outbox read a step at a time: each call answers the events written since the previous one. */
export function outboxOf(db: Database): () => Promise<DomainEvent[]> {
  let lastSeq = '0';
  return async () => {
    const rows = await db.query<{ seq: string; event: DomainEvent }>(
      'SELECT seq::text AS seq, event FROM outbox WHERE seq > $1::bigint ORDER BY outbox.seq',
      [lastSeq],
    );
    lastSeq = rows.at(-1)?.seq ?? lastSeq;
    return rows.map((row) => row.event);
  };
}

/**
 * The suite's service, started once, and its outbox: `written()` answers what the test wrote so
 * far, since each test starts past what earlier ones wrote. Read `.service` inside tests.
 */
export function serviceWithOutbox<S extends { subgraph: RunningSubgraph; close(): Promise<void> }>(start: () => Promise<S>) {
  let started: S | undefined;
  let written: () => Promise<DomainEvent[]>;
  beforeAll(async () => {
    started = await start();
    written = outboxOf(started.subgraph.database);
  });
  beforeEach(() => written());
  afterAll(() => started?.close());
  return {
    get service(): S {
      if (!started) throw new Error('The service starts in beforeAll');
      return started;
    },
    written: () => written(),
  };
}
