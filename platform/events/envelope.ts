import { randomUUID } from 'node:crypto';
import { traceCarrier } from '../observability/tracing.ts';
import { eventCatalog, type EventPayloads, type EventType } from './catalog.ts';

/**
 * A CloudEvents 1.0 envelope (JSON format) with our routing extensions, so a consumer can route
 * or filter without reading `data`.
 */
export interface CloudEvent<Type extends string, Data> {
  specversion: '1.0';
  /** Unique per event: consumers deduplicate redeliveries by it. */
  id: string;
  source: string;
  type: Type;
  /** The aggregate, e.g. `Appointment/apt-…`. */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: Data;
  /** The patient the event concerns. */
  patientid?: string;
  /** The payer organisation the event concerns. */
  organizationid?: string;
  aggregateid: string;
  /**
   * Position among the aggregate's events, from 1. CloudEvents' sequence extension wants a
   * lexicographically orderable string, hence the zero padding.
   */
  sequence: string;
  /** CloudEvents distributed tracing extension: the trace the change was made in, for consumers to continue. */
  traceparent?: string;
}

/** Any event of the catalog; narrowing on `type` narrows `data`. */
export type DomainEvent = { [T in EventType]: CloudEvent<T, EventPayloads[T]> }[EventType];

const SEQUENCE_DIGITS = 10;

/** The id of the aggregate an event is about, named by the catalog's key into its payload. */
export const aggregateIdOf = <T extends EventType>(type: T, data: EventPayloads[T]) => String(data[eventCatalog[type].key]);

export function domainEvent<T extends EventType>(type: T, data: EventPayloads[T], sequence: number, time = new Date(), id: string = randomUUID()): DomainEvent {
  const { subgraph, aggregate } = eventCatalog[type];
  const aggregateId = aggregateIdOf(type, data);
  const routing = data as { patientId?: string; payerId?: string };
  return {
    specversion: '1.0',
    id,
    source: `/subgraphs/${subgraph}`,
    type,
    subject: `${aggregate}/${aggregateId}`,
    time: time.toISOString(),
    datacontenttype: 'application/json',
    data,
    ...(routing.patientId ? { patientid: routing.patientId } : {}),
    ...(routing.payerId ? { organizationid: routing.payerId } : {}),
    aggregateid: aggregateId,
    sequence: String(sequence).padStart(SEQUENCE_DIGITS, '0'),
    ...traceCarrier(),
  } as DomainEvent;
}
