import { availableParallelism } from 'node:os';
import { serialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Grade } from './matching/matcher.ts';
import type { MatchRecord } from './matching/record.ts';
import { keyHashes, type KeyHashes } from './matching/registry-blocking.ts';
import { registryMatcher, statisticsOf, type RegistryStatistics } from './matching/trained.ts';

/** What scoring a batch's pairs found. */
export interface ScoredBatch {
  counts: Record<Grade, number>;
  /** The certain and probable pairs, four numbers each: later record, earlier record, 0 certain or 1 probable, probability. */
  found: Float64Array;
}

/** Scores pairs `start` to `end` (exclusive) of `codes` (`later * n + earlier`, see registry-blocking.ts) with the registry's matcher. */
export function scorePairs(records: readonly MatchRecord[], statistics: RegistryStatistics, codes: Float64Array, start: number, end: number): ScoredBatch {
  const matcher = registryMatcher(statistics);
  const n = records.length;
  const counts: Record<Grade, number> = { CERTAIN: 0, PROBABLE: 0, POSSIBLE: 0 };
  const found: number[] = [];
  for (let at = start; at < end; at++) {
    const later = Math.floor(codes[at]! / n);
    const earlier = codes[at]! - later * n;
    const score = matcher.scoreUnlessUnlikely(records[later]!, records[earlier]!);
    if (score === null || score.grade === null) continue;
    counts[score.grade]++;
    if (score.grade !== 'POSSIBLE') found.push(later, earlier, score.grade === 'CERTAIN' ? 0 : 1, score.probability);
  }
  return { counts, found: Float64Array.from(found) };
}

/** A worker thread does not inherit the TypeScript loader (tsx) this process runs with: it registers it first. */
const workerSource = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then(({ register }) => { register(); return import(${JSON.stringify(new URL('./dedupe-worker.ts', import.meta.url).href)}); })`;

/** Below this many patients threads cost more to start than they save. */
const THREADS_FROM = 50_000;

/**
 * Where a batch deduplication's CPU work runs: in this thread for a small registry, else in one
 * worker thread per core, each holding a copy of the registry's comparison values, computing
 * the key hashes of its share and then scoring the batches it is given while this thread writes.
 */
export class DedupeScoring {
  private readonly pending = new Map<number, { resolve: (batch: ScoredBatch) => void; reject: (error: Error) => void }>();
  private nextBatch = 0;

  private constructor(
    private readonly records: readonly MatchRecord[],
    /** How often two of the registry's records share each field's value: what the matcher weighs a pair against. */
    readonly statistics: RegistryStatistics,
    private readonly workers: Worker[],
    /** The key hashes of the whole registry, in shares. */
    readonly keys: KeyHashes[],
  ) {
    for (const worker of workers) {
      worker.on('message', ({ batch, counts, found }: { batch: number } & ScoredBatch) => {
        this.pending.get(batch)?.resolve({ counts, found });
        this.pending.delete(batch);
      });
      worker.on('error', (error) => this.failAll(error));
    }
  }

  static async start(records: readonly MatchRecord[]): Promise<DedupeScoring> {
    const threads = records.length < THREADS_FROM ? 0 : Math.min(availableParallelism(), 4);
    const statistics = statisticsOf(records);
    if (threads < 2) return new DedupeScoring(records, statistics, [], [keyHashes(records)]);
    const share = Math.ceil(records.length / threads);
    // Serialized once into memory every thread reads: workerData would serialize the registry once a thread.
    const serialized = serialize(records);
    const registry = new SharedArrayBuffer(serialized.length);
    new Uint8Array(registry).set(serialized);
    const workers = Array.from(
      { length: threads },
      (_, part) => new Worker(workerSource, { eval: true, workerData: { registry, statistics, from: part * share, to: Math.min(records.length, (part + 1) * share) } }),
    );
    const keys = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<KeyHashes>((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
    return new DedupeScoring(records, statistics, workers, keys);
  }

  /** The pairs every later `score` call refers to. */
  usePairs(codes: Float64Array): void {
    this.codes = codes;
    for (const worker of this.workers) worker.postMessage({ codes });
  }

  private codes: Float64Array = new Float64Array(0);

  /** Scores pairs `start` to `end` of the codes given to `usePairs`, in a worker when there are any (round robin). */
  score(start: number, end: number): Promise<ScoredBatch> {
    if (this.workers.length === 0) return Promise.resolve(scorePairs(this.records, this.statistics, this.codes, start, end));
    const batch = this.nextBatch++;
    return new Promise((resolve, reject) => {
      this.pending.set(batch, { resolve, reject });
      this.workers[batch % this.workers.length]!.postMessage({ batch, start, end });
    });
  }

  private failAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
