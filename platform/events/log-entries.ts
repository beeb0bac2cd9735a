import type { DeadLetter, LoggedEvent } from './event-log.ts';
import type { DomainEvent } from './envelope.ts';
import type { Failure } from './failure.ts';
import type { StreamEntry, StreamFields } from './stream-store.ts';

/**
 * How events sit in stream entries. The log's own entries hold the envelope; redeliveries and dead
 * letters also keep the id the event had in the log, which is what handlers are given.
 */
export const appendedFields = (event: DomainEvent): StreamFields => ({ event: JSON.stringify(event) });

export const redeliveryFields = ({ logId, event }: LoggedEvent): StreamFields => ({ ...appendedFields(event), logid: logId });

export const loggedEvent = ({ id, fields }: StreamEntry): LoggedEvent => ({ logId: fields.logid ?? id, event: JSON.parse(fields.event ?? 'null') });

export const deadLetterFields = (logged: LoggedEvent, attempts: number, failure: Failure, failedAt = new Date()): StreamFields => ({
  ...redeliveryFields(logged),
  attempts: String(attempts),
  code: failure.code,
  message: failure.message,
  failedat: failedAt.toISOString(),
});

export const deadLetter = (entry: StreamEntry, group: string): DeadLetter => ({
  ...loggedEvent(entry),
  group,
  attempts: Number(entry.fields.attempts),
  error: { code: entry.fields.code ?? '', message: entry.fields.message ?? '' },
  failedAt: entry.fields.failedat ?? '',
});
