// Preloaded into a process under test (node --import): every TCP connection it attempts is written,
// one JSON line each, to the file OUTBOUND_RECORD names, before the attempt is made.
import { appendFileSync } from 'node:fs';
import net from 'node:net';

const file = process.env.OUTBOUND_RECORD;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const [first, second] = args;
  const options = Array.isArray(first) ? first[0] : first;
  const target =
    typeof options === 'object' && options !== null
      ? { host: options.host ?? 'localhost', port: options.port }
      : { host: typeof second === 'string' ? second : 'localhost', port: options };
  // A connection without a port is to a Unix socket, on this machine.
  if (file && target.port != null) appendFileSync(file, `${JSON.stringify({ host: target.host, port: target.port })}\n`);
  return connect.apply(this, args);
};
