import { createLogger, type Logger } from '../logger.ts';
import { assertStorable, type AccessRecord } from './access-record.ts';
import { AppendRefused, type AuditStore, type ChainTail } from './audit-store.ts';

export interface AuditWriterOptions {
  /** Most records written in one transaction. */
  maxBatch: number;
  /**
   * How long a request's records may wait to be committed before the request is refused
   * (AUDIT_UNAVAILABLE). Records whose commit is under way are waited for: their fate is known soon.
   */
  deadlineMs?: number;
  /** Records waiting beyond this many are refused, so an outage cannot exhaust memory. Default 10,000. */
  maxQueued?: number;
  /** Backoff between attempts while the store fails: doubles from `initialMs` up to `maxMs`. */
  retry?: { initialMs: number; maxMs: number };
  /** Told the end of the chain after each commit: where the anchor outside the table is kept. */
  onCommitted?: (tail: ChainTail) => void;
  logger?: Logger;
}

export interface AuditWriter {
  /**
   * Queues one request's records, written together; resolves once they are durably in the trail.
   * Rejects with AuditUnavailableError when they cannot be written in time: the request must then
   * be refused, and its records are written later as what happened (outcome `error`, nothing returned).
   */
  record(records: readonly AccessRecord[]): Promise<void>;
  /** Records queued and not yet written. */
  pending(): number;
  /** False while the store is failing. */
  healthy(): boolean;
  /** Resolves when everything queued now is written. */
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

/** One request's records, and the request waiting on them. */
interface Entry {
  records: AccessRecord[];
  state: 'queued' | 'sending' | 'written';
  /** The statement that commits it has been sent: nothing can take the records back now. */
  committing: boolean;
  /** The deadline passed while the records were being sent: if that attempt fails, the request is refused. */
  overdue: boolean;
  /** The request was refused: its records now say so, and nobody waits on them. */
  withdrawn: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  deadline?: NodeJS.Timeout;
  /** When the deadline fires (ms since the epoch). */
  due: number;
  written: Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A batch not sent because a request in it was refused while it waited: its records must say so. */
class BatchWithdrawn extends Error {}

/** A record of data the request was refused: nothing returned, and an error rather than what was asked. */
const asRefused = (record: AccessRecord): AccessRecord =>
  record.outcome === 'denied' ? record : { ...record, outcome: 'error', fieldsReturned: [] };

/**
 * Writes access records before the data they describe leaves (record, then release), cheaply:
 * group commit. When nothing is being written, a request's records are written at once; while a
 * transaction is in flight, the records that arrive meanwhile wait and go together in the next
 * one, so a busy gateway writes many records per transaction and an idle one adds a single
 * transaction's latency.
 *
 * None is dropped silently. While the store fails, records stay queued and are retried with
 * backoff; a request whose records are not committed by its deadline is refused, and its records
 * are rewritten to say so before they are written (a batch held up before its statement was sent
 * is taken back). When a commit's acknowledgement is lost, the
 * trail is asked whether the batch's last row is there before anything is decided, so a record
 * is never written twice and a refused request is never on record as served.
 * Log lines carry counts only, never the records.
 */
export function createAuditWriter(store: Pick<AuditStore, 'append' | 'holds'>, options: AuditWriterOptions): AuditWriter {
  const { maxBatch, deadlineMs = 2_000, maxQueued = 10_000, onCommitted } = options;
  const retry = options.retry ?? { initialMs: 100, maxMs: 5_000 };
  const logger = options.logger ?? createLogger('audit');
  const queue: Entry[] = [];
  let queued = 0;
  let sending: Promise<void> | undefined;
  let failures = 0;
  let closed = false;

  const backoff = () => Math.min(retry.maxMs, retry.initialMs * 2 ** Math.max(0, failures - 1));

  function withdraw(entry: Entry): void {
    if (entry.withdrawn || entry.state === 'written') return;
    entry.withdrawn = true;
    entry.records = entry.records.map(asRefused);
    entry.reject(new AuditUnavailableError('timeout'));
  }

  /**
   * Whether the batch was committed: answered by the commit, or, when that answer was lost, by the
   * trail. A batch held up before its statement was sent while one of its requests was refused is
   * not sent, so those records are written again as refused.
   */
  async function attempt(batch: Entry[]): Promise<boolean> {
    let tail: ChainTail | undefined;
    // Records withdrawn before the attempt already say they were refused; one withdrawn during it does not yet.
    const refusedBefore = new Set(batch.filter((entry) => entry.withdrawn));
    const beforeCommit = (prepared: ChainTail) => {
      if (batch.some((entry) => entry.withdrawn && !refusedBefore.has(entry))) throw new BatchWithdrawn();
      for (const entry of batch) entry.committing = true;
      tail = prepared;
    };
    // Once sent, a statement is waited for: it may wait for locks only as long as its most pressed request can.
    const waiting = batch.filter((entry) => !entry.withdrawn).map((entry) => entry.due - Date.now());
    const lockWaitMs = waiting.length > 0 ? Math.max(1, Math.min(...waiting)) : undefined;
    try {
      tail = await store.append(batch.flatMap((entry) => entry.records), { prepared: beforeCommit, lockWaitMs });
      onCommitted?.(tail);
      return true;
    } catch (error) {
      for (const entry of batch) entry.committing = false;
      if (error instanceof BatchWithdrawn) return false;
      failures += 1;
      const { name, code } = error as { name?: string; code?: unknown };
      logger.warn({ queued, failures, err: { name, code } }, 'audit store unavailable; records stay queued');
      // Refused by the database, or never prepared: nothing of the batch is in the trail.
      if (!tail || error instanceof AppendRefused) return false;
      // The rows were prepared and the commit's answer is unknown: ask the trail until it answers.
      for (;;) {
        await sleep(backoff());
        try {
          const held = await store.holds(tail);
          if (held) onCommitted?.(tail);
          return held;
        } catch {
          failures += 1;
        }
      }
    }
  }

  async function sendQueued(): Promise<void> {
    while (queue.length > 0) {
      const batch: Entry[] = [];
      let size = 0;
      for (const entry of queue) {
        if (batch.length > 0 && size + entry.records.length > maxBatch) break;
        batch.push(entry);
        size += entry.records.length;
      }
      for (const entry of batch) entry.state = 'sending';
      if (await attempt(batch)) {
        if (failures > 0) logger.info({ failures, queued }, 'audit store available again');
        failures = 0;
        queue.splice(0, batch.length);
        for (const entry of batch) {
          entry.state = 'written';
          queued -= entry.records.length;
          clearTimeout(entry.deadline);
          entry.resolve();
        }
        continue;
      }
      for (const entry of batch) {
        entry.state = 'queued';
        if (entry.overdue) withdraw(entry);
      }
      if (failures > 0) await sleep(backoff());
    }
  }

  function send(): void {
    sending ??= sendQueued().finally(() => {
      sending = undefined;
      if (queue.length > 0) send();
    });
  }

  async function flush(): Promise<void> {
    const pending = queue.map((entry) => entry.written);
    if (pending.length > 0) send();
    await Promise.all(pending);
  }

  return {
    record(records) {
      if (closed) return Promise.reject(new AuditUnavailableError('closed'));
      if (queued + records.length > maxQueued) {
        logger.error({ queued, maxQueued }, 'audit queue full; records refused');
        return Promise.reject(new AuditUnavailableError('queue full'));
      }
      try {
        records.forEach(assertStorable);
      } catch (error) {
        return Promise.reject(error);
      }
      let markWritten!: () => void;
      let answer!: { resolve: () => void; reject: (error: Error) => void };
      // `written` settles for flush() when the records are in the trail; the request's answer may be refused sooner.
      const written = new Promise<void>((resolve) => (markWritten = resolve));
      const answered = new Promise<void>((resolve, reject) => (answer = { resolve, reject }));
      const entry: Entry = {
        records: [...records],
        state: 'queued',
        committing: false,
        overdue: false,
        withdrawn: false,
        due: Date.now() + deadlineMs,
        resolve: () => (markWritten(), answer.resolve()),
        reject: answer.reject,
        written,
      };
      entry.deadline = setTimeout(() => {
        // Until the statement that commits them is sent, a request's records can still be taken back; after, their fate is known soon.
        if (entry.state === 'queued' || (entry.state === 'sending' && !entry.committing)) withdraw(entry);
        else if (entry.state === 'sending') entry.overdue = true;
      }, deadlineMs);
      queue.push(entry);
      queued += records.length;
      send();
      return answered;
    },
    pending: () => queued,
    healthy: () => failures === 0,
    flush,
    async close() {
      closed = true;
      await flush();
    },
  };
}
