// The fan-out benchmark's clients: one graphql-ws connection per subscriber, all in this process,
// apart from the gateway. Publish-to-deliver latency is the event's `time` (stamped by the
// publisher on this machine's clock) to its arrival here.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { isAfter, positionOf } from '../../gateway/subscriptions/log-position.ts';
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
const lastIds = new Array<string>(plan.subscribers.length).fill(plan.after);
const latencies: number[] = [];
let disordered = 0;
let withErrors = 0;
let closed = 0;
let refused = 0;
const clients: Client[] = [];

function subscribe(index: number): Promise<void> {
  const { authorization } = plan.subscribers[index]!;
  return new Promise((connected) => {
    let acknowledged = false;
    const client = createClient({
      url: plan.url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization },
      retryAttempts: 0,
      on: {
        connected: () => ((acknowledged = true), connected()),
        closed: () => {
          if (acknowledged) closed++;
          else (refused++, connected());
        },
      },
    });
    clients.push(client);
    client.subscribe<{ appointmentEvents: { id: string; time: string } }>(
      { query: SELECTION, variables: { after: plan.after } },
      {
        next: ({ data, errors }) => {
          const event = data!.appointmentEvents;
          latencies.push(Date.now() - Date.parse(event.time));
          delivered[index]!++;
          if (errors) withErrors++;
          if (!isAfter(positionOf(event.id), positionOf(lastIds[index]!))) disordered++;
          lastIds[index] = event.id;
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
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
    latencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN },
  };
  process.send!(report);
});
process.once('SIGTERM', () => void Promise.all(clients.map((client) => client.dispose())).finally(() => process.exit(0)));
