import { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * A node-redis client that reconnects by itself and fails commands fast while disconnected
 * (no offline queue), so a caller can fall back or fail closed instead of hanging.
 */
export async function openRedis(url: string): Promise<RedisClient> {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000), connectTimeout: 2_000 },
  });
  // node-redis emits 'error' on every failed reconnect; the commands report what matters.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
