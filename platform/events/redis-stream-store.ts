import type { Logger } from '../logger.ts';
import { LOG_START } from './event-log.ts';
import { idAfter, lowestId } from './log-ids.ts';
import { readerClient, redisClient, untilReady } from '../redis.ts';
import type { GroupEntry, GroupState, StreamEntry, StreamFields, StreamReader, StreamStore } from './stream-store.ts';

export interface RedisStreamSettings {
  url: string;
  /** Prepended to every key, so deployments (and test runs) sharing a Redis do not meet. */
  keyPrefix: string;
  commandTimeoutMs: number;
}

type Message = { id: string; message: Record<string, string> } | null;

const entries = (messages: readonly Message[]): StreamEntry[] =>
  messages.filter((message) => message !== null).map(({ id, message }) => ({ id, fields: { ...message } }));

const trimmedTo = (maxLength?: number) =>
  maxLength === undefined ? undefined : { TRIM: { strategy: 'MAXLEN' as const, strategyModifier: '~' as const, threshold: maxLength } };

/** Opens the store, waiting for Redis a moment but never more: it may come later. */
export async function openRedisStreamStore({ url, keyPrefix, commandTimeoutMs }: RedisStreamSettings, logger: Logger): Promise<StreamStore> {
  const client = redisClient(url, `${keyPrefix}event-log`, commandTimeoutMs, logger);
  await untilReady(client, commandTimeoutMs);
  const key = (stream: string) => keyPrefix + stream;
  const stream = (name: string) => name.slice(keyPrefix.length);
  const entriesByStream = (reply: unknown): GroupEntry[] =>
    ((reply ?? []) as { name: string; messages: Message[] }[]).flatMap(({ name, messages }) =>
      entries(messages).map((entry) => ({ ...entry, stream: stream(name) })),
    );

  function openReader(blockMs: number): StreamReader {
    // A blocked XREAD holds its connection: each reader has one, closed with it to interrupt the wait.
    const reader = readerClient(client, blockMs, commandTimeoutMs, logger);
    const closed = new AbortController();
    const options = (count: number) => ({ COUNT: count, ...(blockMs > 0 ? { BLOCK: blockMs } : {}) });
    /** While reconnecting, a read finds nothing after waiting: the loop asks again without an error. */
    async function whenReady<T>(read: () => Promise<T[]>): Promise<T[]> {
      if (reader.isReady) return read();
      await untilReady(reader, blockMs, closed.signal);
      return [];
    }
    return {
      read: (name, afterId, count) => whenReady(async () => entriesByStream(await reader.xRead({ key: key(name), id: afterId }, options(count)))),
      readGroup: (group, consumer, names, count) =>
        whenReady(async () => entriesByStream(await reader.xReadGroup(group, consumer, names.map((name) => ({ key: key(name), id: '>' })), options(count)))),
      async close() {
        closed.abort();
        if (reader.isOpen) reader.destroy();
      },
    };
  }

  return {
    async add(name, fields: StreamFields, maxLength, mark) {
      if (!mark) return client.xAdd(key(name), '*', fields, trimmedTo(maxLength));
      const [id] = await client.multi().xAdd(key(name), '*', fields, trimmedTo(maxLength)).set(key(mark.key), mark.value).exec();
      return String(id);
    },
    markOf: async (name) => (await client.get(key(name))) ?? undefined,
    async handledBelow(name) {
      // A stream that is gone (a Redis that came back empty) has no group, so nothing is known handled.
      const groups = await client.xInfoGroups(key(name)).catch((error: Error) => {
        if (error.message.includes('no such key')) return [];
        throw error;
      });
      if (groups.length === 0) return LOG_START;
      const bounds = await Promise.all(
        groups.map(async (group) => {
          if (group.pending === 0) return idAfter(String(group['last-delivered-id']));
          return (await client.xPending(key(name), String(group.name))).firstId ?? idAfter(String(group['last-delivered-id']));
        }),
      );
      return lowestId(bounds);
    },
    range: async (name, afterId, count) => entries(await client.xRange(key(name), `(${afterId}`, '+', { COUNT: count })),
    async lastId(name) {
      const [last] = await client.xRevRange(key(name), '+', '-', { COUNT: 1 });
      return last?.id ?? LOG_START;
    },
    async remove(name, id) {
      await client.xDel(key(name), id);
    },
    async createGroup(names, group) {
      for (const name of names) {
        await client.xGroupCreate(key(name), group, '0', { MKSTREAM: true }).catch((error: Error) => {
          if (!error.message.startsWith('BUSYGROUP')) throw error;
        });
      }
    },
    async claimIdle(name, group, consumer, idleMs, count) {
      const { messages } = await client.xAutoClaim(key(name), group, consumer, idleMs, LOG_START, { COUNT: count });
      return entries(messages as Message[]).map((entry) => ({ ...entry, stream: name }));
    },
    async keepClaimed(name, group, consumer, id) {
      await client.xClaimJustId(key(name), group, consumer, 0, id);
    },
    async ack(name, group, id) {
      await client.xAck(key(name), group, id);
    },
    async ackAndAdd(name, group, id, target, fields, maxLength) {
      await client.multi().xAck(key(name), group, id).xAdd(key(target), '*', fields, trimmedTo(maxLength)).exec();
    },
    async groups(name): Promise<GroupState[]> {
      if (!(await client.exists(key(name)))) return [];
      // XINFO GROUPS' lag is null when Redis cannot tell (entries deleted in between): then the stream's length bounds it.
      const groups = (await client.xInfoGroups(key(name))) as unknown as { name: string; pending: number; lag?: number | null; 'last-delivered-id': string }[];
      const length = await client.xLen(key(name));
      return Promise.all(
        groups.map(async (group) => {
          const lag = group.lag ?? length;
          const oldestUnhandledId =
            group.pending > 0
              ? ((await client.xPending(key(name), group.name)).firstId ?? undefined)
              : lag > 0
                ? (await client.xRange(key(name), `(${group['last-delivered-id']}`, '+', { COUNT: 1 }))[0]?.id
                : undefined;
          return { name: group.name, pending: group.pending, lag, ...(oldestUnhandledId && { oldestUnhandledId }) };
        }),
      );
    },
    length: (name) => client.xLen(key(name)),
    openReader,
    onReconnect(listener) {
      client.on('ready', listener);
      return () => void client.off('ready', listener);
    },
    async close() {
      if (client.isOpen) await client.close();
    },
  };
}
