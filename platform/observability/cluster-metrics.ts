import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { metricsRegistry } from './metrics.ts';

// Worker processes of one service behind one port (node:cluster): a scrape lands on any of them,
// so each answers with the figures of all, summed by the primary (gauges read from shared state,
// such as a consumer group's lag, are taken once: their `aggregator`).

const ASK = 'healthgraph:metrics';
const ANSWER = 'healthgraph:metrics-answer';
const SAMPLE = 'healthgraph:sample';
const SAMPLED = 'healthgraph:sampled';
const SAMPLE_TIMEOUT_MS = 5_000;

interface Message {
  type: string;
  id: number;
  text?: string;
  error?: string;
}

const isMessage = (message: unknown): message is Message => typeof message === 'object' && message !== null && typeof (message as Message).type === 'string';

/**
 * In the primary: answers a worker's request for the workers' metrics together. Every worker first
 * samples its gauges (what `sampleOnScrape` reads at scrape time), then prom-client gathers them.
 */
export function aggregateWorkerMetrics(): void {
  const aggregator = new AggregatorRegistry();
  const acks = new Map<number, () => void>();
  let next = 0;
  const sampleAll = () =>
    Promise.all(
      Object.values(cluster.workers ?? {}).map((worker) => {
        const id = next++;
        return new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, SAMPLE_TIMEOUT_MS);
          acks.set(id, () => (clearTimeout(timer), resolve()));
          worker!.send({ type: SAMPLE, id } satisfies Message);
        }).finally(() => acks.delete(id));
      }),
    );
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === SAMPLED) return void acks.get(message.id)?.();
    if (message.type !== ASK) return;
    void sampleAll()
      .then(() => aggregator.clusterMetrics())
      .then(
        (text) => worker.send({ type: ANSWER, id: message.id, text } satisfies Message),
        (error: unknown) => worker.send({ type: ANSWER, id: message.id, error: (error as Error).message } satisfies Message),
      );
  });
}

/** In a worker: answers the primary's sampling requests with `sample`, and lets prom-client read this registry. */
export function offerWorkerMetrics(sample: () => Promise<void>): () => Promise<string> {
  AggregatorRegistry.setRegistries([metricsRegistry]);
  // Its constructor is what makes prom-client answer the primary in a worker.
  new AggregatorRegistry();
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === SAMPLE) void sample().finally(() => process.send!({ type: SAMPLED, id: message.id } satisfies Message));
    if (message.type !== ANSWER) return;
    const asked = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.text !== undefined) asked?.resolve(message.text);
    else asked?.reject(new Error(message.error ?? 'no metrics from the primary'));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      process.send!({ type: ASK, id } satisfies Message);
    });
}
