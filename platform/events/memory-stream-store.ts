import { LOG_START } from './event-log.ts';
import { compareIds, idAfter, lowestId, nextId } from './log-ids.ts';
import type { GroupEntry, GroupState, Mark, StreamEntry, StreamReader, StreamStore } from './stream-store.ts';

/**
 * Redis Streams' semantics in process, for embedded mode: `<ms>-<n>` ids, exact trimming, groups
 * with pending entries that an idle timeout hands to another consumer.
 */
interface PendingEntry {
  consumer: string;
  since: number;
}

interface Group {
  lastDelivered: string;
  pending: Map<string, PendingEntry>;
}

interface Stream {
  entries: StreamEntry[];
  lastId: string;
  groups: Map<string, Group>;
}

/** Index of the first entry with an id above `id`; entries are in id order. */
function firstAfter(entries: readonly StreamEntry[], id: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareIds(entries[middle]!.id, id) > 0) high = middle;
    else low = middle + 1;
  }
  return low;
}

const entriesAfter = (entries: readonly StreamEntry[], afterId: string, count: number) => {
  const start = firstAfter(entries, afterId);
  return entries.slice(start, start + count);
};

export function memoryStreamStore(): StreamStore {
  const streams = new Map<string, Stream>();
  const marks = new Map<string, string>();
  const waiters = new Set<() => void>();

  const stream = (name: string): Stream => {
    let found = streams.get(name);
    if (!found) streams.set(name, (found = { entries: [], lastId: LOG_START, groups: new Map() }));
    return found;
  };
  const group = (name: string, groupName: string): Group => {
    const found = streams.get(name)?.groups.get(groupName);
    if (!found) throw Object.assign(new Error(`No group ${groupName} on ${name}`), { code: 'NOGROUP' });
    return found;
  };
  const entryById = (name: string, id: string) => {
    const entries = stream(name).entries;
    const candidate = entries[firstAfter(entries, id) - 1];
    return candidate?.id === id ? candidate : undefined;
  };

  function add(name: string, fields: StreamEntry['fields'], maxLength?: number, mark?: Mark): string {
    const target = stream(name);
    if (mark) marks.set(mark.key, mark.value);
    target.lastId = nextId(target.lastId);
    target.entries.push({ id: target.lastId, fields });
    if (maxLength !== undefined && target.entries.length > maxLength) target.entries.splice(0, target.entries.length - maxLength);
    for (const wake of [...waiters]) wake();
    return target.lastId;
  }

  function ack(name: string, groupName: string, id: string): void {
    group(name, groupName).pending.delete(id);
  }

  function deliver(groupName: string, consumer: string, names: readonly string[], count: number): GroupEntry[] {
    const delivered: GroupEntry[] = [];
    for (const name of names) {
      const target = group(name, groupName);
      for (const entry of entriesAfter(stream(name).entries, target.lastDelivered, count - delivered.length)) {
        target.pending.set(entry.id, { consumer, since: Date.now() });
        target.lastDelivered = entry.id;
        delivered.push({ ...entry, stream: name });
      }
    }
    return delivered;
  }

  function nextAppend(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiters.add(done);
      signal.addEventListener('abort', done);
    });
  }

  /** Like Redis BLOCK: what `take` finds, waiting for appends until something is found or time is up. */
  async function blocking<T>(take: () => T[], blockMs: number, signal: AbortSignal): Promise<T[]> {
    const deadline = Date.now() + blockMs;
    for (;;) {
      const found = take();
      if (found.length > 0 || signal.aborted || Date.now() >= deadline) return found;
      await nextAppend(deadline - Date.now(), signal);
    }
  }

  return {
    add: async (name, fields, maxLength, mark) => add(name, fields, maxLength, mark),
    markOf: async (key) => marks.get(key),
    async handledBelow(name) {
      const groups = [...(streams.get(name)?.groups.values() ?? [])];
      if (groups.length === 0) return LOG_START;
      return lowestId(groups.map(({ pending, lastDelivered }) => (pending.size > 0 ? lowestId([...pending.keys()]) : idAfter(lastDelivered))));
    },
    range: async (name, afterId, count) => entriesAfter(streams.get(name)?.entries ?? [], afterId, count),
    lastId: async (name) => streams.get(name)?.entries.at(-1)?.id ?? LOG_START,
    async remove(name, id) {
      const target = stream(name);
      target.entries = target.entries.filter((entry) => entry.id !== id);
    },
    async createGroup(names, groupName) {
      for (const name of names) {
        const target = stream(name);
        if (!target.groups.has(groupName)) target.groups.set(groupName, { lastDelivered: LOG_START, pending: new Map() });
      }
    },
    async claimIdle(name, groupName, consumer, idleMs, count) {
      const claimed: GroupEntry[] = [];
      const now = Date.now();
      for (const [id, pending] of group(name, groupName).pending) {
        if (claimed.length >= count) break;
        if (now - pending.since < idleMs) continue;
        const entry = entryById(name, id);
        // Like XAUTOCLAIM: an entry trimmed away is dropped from the pending list.
        if (!entry) ack(name, groupName, id);
        else {
          group(name, groupName).pending.set(id, { consumer, since: now });
          claimed.push({ ...entry, stream: name });
        }
      }
      return claimed;
    },
    async keepClaimed(name, groupName, consumer, id) {
      const pending = group(name, groupName).pending;
      if (pending.has(id)) pending.set(id, { consumer, since: Date.now() });
    },
    ack: async (name, groupName, id) => ack(name, groupName, id),
    async ackAndAdd(name, groupName, id, target, fields, maxLength) {
      ack(name, groupName, id);
      add(target, fields, maxLength);
    },
    async groups(name): Promise<GroupState[]> {
      const target = streams.get(name);
      if (!target) return [];
      return [...target.groups].map(([groupName, { lastDelivered, pending }]) => {
        const undelivered = firstAfter(target.entries, lastDelivered);
        const oldestUnhandledId = pending.size > 0 ? lowestId([...pending.keys()]) : target.entries[undelivered]?.id;
        return { name: groupName, lag: target.entries.length - undelivered, pending: pending.size, ...(oldestUnhandledId && { oldestUnhandledId }) };
      });
    },
    length: async (name) => streams.get(name)?.entries.length ?? 0,
    openReader(blockMs): StreamReader {
      const closed = new AbortController();
      return {
        read: (name, afterId, count) => blocking(() => entriesAfter(streams.get(name)?.entries ?? [], afterId, count), blockMs, closed.signal),
        readGroup: (groupName, consumer, names, count) => blocking(() => deliver(groupName, consumer, names, count), blockMs, closed.signal),
        async close() {
          closed.abort();
        },
      };
    },
    // In memory, there is no connection to lose.
    onReconnect: () => () => undefined,
    close: async () => undefined,
  };
}
