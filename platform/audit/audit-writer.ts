import { createLogger, type Logger } from '../logger.ts';
import { assertStorable, type AccessRecord } from './access-record.ts';
import type { AuditStore } from './audit-store.ts';

export interface AuditWriterOptions {
  /** Most records written in one transaction. */
  maxBatch: number;
  /** How long a record may wait for others to share its transaction. */
  flushIntervalMs: number;
  /** When true, `record` rejects if its record is not written within `failClosedTimeoutMs`. */
  failClosed: boolean;
  /** Fail closed only: longer than `flushIntervalMs`. Default 2 s. */
  failClosedTimeoutMs?: number;
  /** Records waiting beyond this many are refused, so an outage cannot exhaust memory. Default 10,000. */
  maxQueued?: number;
  /** Backoff between attempts while the store fails: doubles from `initialMs` up to `maxMs`. */
  retry?: { initialMs: number; maxMs: number };
  logger?: Logger;
}

export interface AuditWriter {
  /** Queues the record; resolves once it is durably in the trail. */
  record(accessRecord: AccessRecord): Promise<void>;
  /** Records queued and not yet written. */
  pending(): number;
  /** False while the store is failing: a caller that must not lose records should then wait on `record`. */
  healthy(): boolean;
  /** Writes everything queued now; resolves when all of it is written. */
  flush(): Promise<void>;
  /** Refuses new records and writes the queued ones (waiting, while the store is down, until it is back). */
  close(): Promise<void>;
}

/** What the gateway answers as AUDIT_UNAVAILABLE. */
export class AuditUnavailableError extends Error {
  readonly code = 'AUDIT_UNAVAILABLE';
  constructor(readonly reason: 'timeout' | 'queue full' | 'closed') {
    super(`The audit trail cannot take the record (${reason})`);
    this.name = 'AuditUnavailableError';
  }
}

interface Queued {
  record: AccessRecord;
  written: Promise<void>;
  markWritten: () => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes audit writes off the request's hot path: records are batched, many per transaction, in the
 * order given. None is dropped silently: while the store fails, the batch stays queued and is
 * retried with backoff (a commit whose acknowledgement was lost may be written twice; the trail
 * over-reports rather than under-reports). A fail-closed caller whose record times out is refused,
 * but its record stays queued and is written once the store is back.
 * Log lines carry counts only, never the records.
 */
export function createAuditWriter(store: Pick<AuditStore, 'append'>, options: AuditWriterOptions): AuditWriter {
  const { maxBatch, flushIntervalMs, failClosed, failClosedTimeoutMs = 2_000, maxQueued = 10_000 } = options;
  const retry = options.retry ?? { initialMs: 100, maxMs: 5_000 };
  const logger = options.logger ?? createLogger('audit');
  if (failClosed && failClosedTimeoutMs <= flushIntervalMs) throw new Error('failClosedTimeoutMs must be longer than flushIntervalMs');
  const queue: Queued[] = [];
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;
  let failures = 0;
  let closed = false;

  async function writeQueued(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      try {
        await store.append(batch.map((queued) => queued.record));
      } catch (error) {
        failures += 1;
        const retryInMs = Math.min(retry.maxMs, retry.initialMs * 2 ** (failures - 1));
        const { name, code } = error as { name?: string; code?: unknown };
        logger.warn({ queued: queue.length, failures, retryInMs, err: { name, code } }, 'audit store unavailable; records stay queued');
        await sleep(retryInMs);
        continue;
      }
      if (failures > 0) logger.info({ failures, queued: queue.length }, 'audit store available again');
      failures = 0;
      queue.splice(0, batch.length);
      for (const queued of batch) queued.markWritten();
    }
  }

  function drain(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    draining ??= writeQueued().finally(() => {
      draining = undefined;
      // Records that arrived as the last batch finished still need their turn.
      if (queue.length > 0) schedule();
    });
    return draining;
  }

  function schedule(): void {
    if (queue.length >= maxBatch) void drain();
    else timer ??= setTimeout(drain, flushIntervalMs);
  }

  function withDeadline(written: Promise<void>): Promise<void> {
    let deadline: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      deadline = setTimeout(() => reject(new AuditUnavailableError('timeout')), failClosedTimeoutMs);
    });
    return Promise.race([written, timeout]).finally(() => clearTimeout(deadline));
  }

  async function flush(): Promise<void> {
    const queued = queue.map((entry) => entry.written);
    if (queued.length > 0) void drain();
    await Promise.all(queued);
  }

  return {
    record(accessRecord) {
      if (closed) return Promise.reject(new AuditUnavailableError('closed'));
      if (queue.length >= maxQueued) {
        logger.error({ queued: queue.length, maxQueued }, 'audit queue full; record refused');
        return Promise.reject(new AuditUnavailableError('queue full'));
      }
      try {
        assertStorable(accessRecord);
      } catch (error) {
        return Promise.reject(error);
      }
      let markWritten!: () => void;
      const written = new Promise<void>((resolve) => (markWritten = resolve));
      queue.push({ record: accessRecord, written, markWritten });
      schedule();
      return failClosed ? withDeadline(written) : written;
    },
    pending: () => queue.length,
    healthy: () => failures === 0,
    flush,
    async close() {
      closed = true;
      await flush();
    },
  };
}
