import { createClient } from 'redis';
import { describeFailure } from './events/failure.ts';
import type { Logger } from './logger.ts';

export type RedisClient = ReturnType<typeof createClient>;

/** Always reconnect (node-redis gives up after a socket timeout by default), backing off to 2 s. */
const reconnectDelay = (retries: number) => Math.min(2 ** retries * 50, 2_000) + Math.floor(Math.random() * 200);

/** A connection silent for `idleTimeoutMs` is dropped and made again; what was in flight fails. */
const socketOptions = (idleTimeoutMs: number) => ({ socketTimeout: idleTimeoutMs, reconnectStrategy: reconnectDelay });

/**
 * A node-redis client that fails fast instead of hanging. No offline queue: a command sent while
 * reconnecting rejects at once. node-redis's command timeout stops counting once a command is
 * written, so a stalled server is caught by the socket timeout instead, and pings keep a quiet,
 * healthy connection from reaching it. The name shows in CLIENT LIST.
 */
export function redisClient(url: string, name: string, commandTimeoutMs: number, logger: Logger): RedisClient {
  const options = { url, name, disableOfflineQueue: true, pingInterval: commandTimeoutMs / 2, socket: socketOptions(commandTimeoutMs) };
  return connecting(createClient(options), logger);
}

/**
 * A client for commands on the request path (the cost bucket), connected before it is handed out:
 * a Redis that does not answer at start is a configuration error, not something to serve around.
 */
export async function openRedis(url: string, name: string, logger: Logger, commandTimeoutMs = 2_000): Promise<RedisClient> {
  const client = redisClient(url, name, commandTimeoutMs, logger);
  await untilReady(client, commandTimeoutMs * 5);
  if (client.isReady) return client;
  client.destroy();
  throw new Error(`Redis did not answer within ${commandTimeoutMs * 5} ms (REDIS_URL)`);
}

/** A connection of its own for blocking reads: quiet for `blockMs` when healthy, so no pings and a longer timeout. */
export function readerClient(client: RedisClient, blockMs: number, commandTimeoutMs: number, logger: Logger): RedisClient {
  return connecting(client.duplicate({ pingInterval: undefined, socket: socketOptions(blockMs + commandTimeoutMs) }), logger);
}

/** Starts connecting without waiting, and logs losing and regaining the server once each. */
function connecting(client: RedisClient, logger: Logger): RedisClient {
  let lost = false;
  client.on('error', (error: unknown) => {
    if (!lost) logger.warn({ code: describeFailure(error).code }, 'redis connection lost; reconnecting');
    lost = true;
  });
  client.on('ready', () => {
    if (lost) logger.info('redis connection restored');
    lost = false;
  });
  client.connect().catch(() => undefined);
  return client;
}

/** Resolves when the client is ready, after `ms` at most, or when `signal` aborts. */
export function untilReady(client: RedisClient, ms: number, signal?: AbortSignal): Promise<void> {
  if (client.isReady) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.on('ready', done);
    signal?.addEventListener('abort', done);
  });
}
