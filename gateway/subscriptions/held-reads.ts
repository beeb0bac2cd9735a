import type { AccessRecord } from '../../platform/audit/access-record.ts';

/**
 * The access records of one of the hub's reads through the gateway, held rather than written at
 * once: what the read returned leaves the gateway only in deliveries, and none is sent before its
 * own record is durable, so the read's records go in the same transaction (one commit per event
 * rather than two). The events of one batched read share them: the first write takes them, and
 * every other delivery waits on that write.
 */
export class ReadRecords {
  /** The write that took them; undefined until one does, and again if it failed. */
  written: Promise<void> | undefined;

  constructor(readonly records: readonly AccessRecord[]) {}
}

/** The held records of the reads one event's resolution made, for one group of subscribers. */
export class EventReads {
  private readonly reads = new Set<ReadRecords>();

  add(read: ReadRecords): void {
    this.reads.add(read);
  }

  /** Whether a delivery must wait for reads to be on record. */
  get any(): boolean {
    return this.reads.size > 0;
  }

  /**
   * Writes `records` with the reads' records no write has taken yet, in one transaction, and
   * resolves once that and every earlier write holding the others are durable. A failed write gives
   * its reads back, so the next delivery writes them again (the writer keeps the failed one as refused).
   */
  recordWith(audit: (records: AccessRecord[]) => Promise<void>, records: AccessRecord[]): Promise<void> {
    const taken = [...this.reads].filter((read) => !read.written);
    const earlier = [...this.reads].flatMap((read) => (read.written ? [read.written] : []));
    if (taken.length === 0 && records.length === 0) return Promise.all(earlier).then(() => undefined);
    const written = audit([...taken.flatMap((read) => read.records), ...records]);
    for (const read of taken) read.written = written;
    written.catch(() => {
      for (const read of taken) if (read.written === written) read.written = undefined;
    });
    return Promise.all([written, ...earlier]).then(() => undefined);
  }
}
