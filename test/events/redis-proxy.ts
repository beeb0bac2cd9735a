import net from 'node:net';

/**
 * A TCP proxy in front of the shared Redis, so a test can cut, stop or stall *its own* connections
 * (CLIENT KILL TYPE normal or CLIENT PAUSE would hit every suite using that server).
 */
export interface RedisProxy {
  url: string;
  /** Drops every connection; clients reconnect at once. */
  cut(): void;
  /** Drops every connection and refuses new ones until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Holds traffic both ways, as a stalled server would, until `thaw()`. */
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function startRedisProxy(target: string): Promise<RedisProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const held: Array<() => void> = [];
  let frozen = false;
  const forward = (from: net.Socket, to: net.Socket) =>
    from.on('data', (chunk) => (frozen ? held.push(() => to.write(chunk)) : to.write(chunk)));

  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  const listen = (onPort: number) => new Promise<void>((resolve) => server.listen(onPort, '127.0.0.1', resolve));
  await listen(0);
  const proxyPort = (server.address() as net.AddressInfo).port;
  const cut = () => sockets.forEach((socket) => socket.destroy());
  const down = async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    cut();
    await closed;
  };
  return {
    url: `redis://127.0.0.1:${proxyPort}`,
    cut,
    down,
    up: () => listen(proxyPort),
    freeze: () => void (frozen = true),
    thaw() {
      frozen = false;
      for (const send of held.splice(0)) send();
    },
    close: down,
  };
}
