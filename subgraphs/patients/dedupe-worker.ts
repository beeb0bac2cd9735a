// A worker thread of a batch deduplication (dedupe-scoring.ts): the key hashes of its share of the
// registry first, then the scores of the batches of pairs it is sent. Ids and counts only leave it.
import { deserialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { MatchRecord } from './matching/record.ts';
import type { RegistryStatistics } from './matching/trained.ts';
import { keyHashes } from './matching/registry-blocking.ts';
import { scorePairs } from './dedupe-scoring.ts';

const { registry, statistics, from, to } = workerData as { registry: SharedArrayBuffer; statistics: RegistryStatistics; from: number; to: number };
const records = deserialize(new Uint8Array(registry)) as MatchRecord[];
const port = parentPort!;
const share = keyHashes(records, from, to);
port.postMessage(share, [share.hashes.buffer as ArrayBuffer, share.owners.buffer as ArrayBuffer]);

let codes: Float64Array = new Float64Array(0);
port.on('message', (message: { codes: Float64Array } | { batch: number; start: number; end: number }) => {
  if ('codes' in message) {
    codes = message.codes;
    return;
  }
  const scored = scorePairs(records, statistics, codes, message.start, message.end);
  port.postMessage({ batch: message.batch, ...scored }, [scored.found.buffer as ArrayBuffer]);
});
