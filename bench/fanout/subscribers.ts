// The fan-out benchmark's clients: one graphql-ws connection per subscriber, all in this process,
// apart from the gateway. Publish-to-deliver latency is the event's `time` (stamped by the
// publisher on this machine's clock) to its arrival here. They share the gateway's two cores, so
// they speak the protocol with bare `ws` and read of each message only what is measured.
import WebSocket from 'ws';
import { isAfter, positionOf, type LogPosition } from '../../gateway/subscriptions/log-position.ts';
import { nextEventOf, type NextEvent } from './next-message.ts';
import type { SubscriberPlan, SubscribersReady, SubscribersReport, SubscribersRequest } from './messages.ts';

const SELECTION = /* GraphQL */ `
  subscription ($after: ID) {
    appointmentEvents(after: $after) { id type time appointment { id status start patient { id name { text } } practitioner { name { text } } } }
  }
`;
const CONNECT_BATCH = 200;

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

// The runner's channel is what keeps this process alive until its plan comes (the preload unrefs it).
process.channel?.ref();
const plan = await new Promise<SubscriberPlan>((resolve) => process.once('message', (message) => resolve(message as SubscriberPlan)));
const delivered = new Array<number>(plan.subscribers.length).fill(0);
// Each event's id and time are parsed once for all the subscribers it reaches (a run publishes a few hundred).
const events = new Map<string, { position: LogPosition; publishedAt: number }>();
const eventOf = ({ id, time }: NextEvent) => events.get(id) ?? events.set(id, { position: positionOf(id), publishedAt: Date.parse(time) }).get(id)!;
const lastPositions = new Array<LogPosition>(plan.subscribers.length).fill(positionOf(plan.after));
const latencies: number[] = [];
let disordered = 0;
let withErrors = 0;
let closed = 0;
const closeCodes: Record<string, number> = {};
let refused = 0;

/** One connection with one subscription, graphql-transport-ws spoken by hand: init, ack, subscribe, next. */
function subscribe(index: number): Promise<void> {
  const { authorization } = plan.subscribers[index]!;
  return new Promise((connected) => {
    let acknowledged = false;
    const socket = new WebSocket(plan.url, 'graphql-transport-ws', { skipUTF8Validation: true });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization } })));
    socket.on('message', (data: Buffer) => {
      const next = nextEventOf(data);
      if (next) {
        const { position, publishedAt } = eventOf(next);
        latencies.push(Date.now() - publishedAt);
        delivered[index]!++;
        if (next.withErrors) withErrors++;
        if (!isAfter(position, lastPositions[index]!)) disordered++;
        lastPositions[index] = position;
      } else if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') {
        acknowledged = true;
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SELECTION, variables: { after: plan.after } } }));
        connected();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', (code: number, reason: Buffer) => {
      // The code and the reason's first words: 1013 is both "too slow" and "the audit trail is unavailable".
      const why = `${code} ${String(reason).split(':')[0]}`.trim();
      if (acknowledged) (closed++, (closeCodes[why] = (closeCodes[why] ?? 0) + 1));
      else (refused++, connected());
    });
  });
}

for (let start = 0; start < plan.subscribers.length; start += CONNECT_BATCH) {
  const batch = plan.subscribers.slice(start, start + CONNECT_BATCH).map((_, offset) => subscribe(start + offset));
  await Promise.all(batch);
}
process.send!({ connected: plan.subscribers.length - refused, refused } satisfies SubscribersReady);

process.on('message', (request: SubscribersRequest) => {
  if (request === 'progress') return void process.send!(delivered.reduce((sum, count) => sum + count, 0));
  if (request === 'reset') {
    delivered.fill(0);
    latencies.length = 0;
    disordered = withErrors = 0;
    return void process.send!('reset');
  }
  const sorted = Float64Array.from(latencies).sort();
  const report: SubscribersReport = {
    delivered,
    disordered,
    withErrors,
    closed,
    closeCodes,
    latencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN },
  };
  process.send!(report);
});
// The connections end with the process.
process.once('SIGTERM', () => process.exit(0));
