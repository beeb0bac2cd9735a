import { createHash } from 'node:crypto';
import { bucketState, type BucketLimits, type BucketState, type CostBucket } from './cost-bucket.ts';

/**
 * One atomic take: refill by the time since the last take, then take all of the cost or none of it.
 * Time is Redis's own (TIME), so gateway replicas with skewed clocks still share one bucket fairly.
 * The key expires once the bucket would be full again: an absent key is a full bucket.
 * KEYS[1] the bucket; ARGV capacity, restore rate per second, cost (negative gives points back).
 */
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local level = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(level[1]) or capacity
local at = tonumber(level[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local allowed = cost <= tokens
if allowed then tokens = math.min(capacity, tokens - cost) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 1000 / rate) + 1000)
return { allowed and 1 or 0, tostring(tokens) }
`;
const TAKE_SHA = createHash('sha1').update(TAKE_SCRIPT).digest('hex');

type ScriptOptions = { keys: string[]; arguments: string[] };

/** What the bucket needs of a node-redis v5 client, so it takes the client the gateway already has. */
export interface ScriptRunner {
  evalSha(sha1: string, options: ScriptOptions): Promise<unknown>;
  eval(script: string, options: ScriptOptions): Promise<unknown>;
}

/** Buckets in Redis, shared by every gateway replica. */
export class RedisCostBucket implements CostBucket {
  constructor(
    private readonly redis: ScriptRunner,
    private readonly keyPrefix = 'gateway:cost-bucket:',
  ) {}

  async take(clientKey: string, cost: number, limits: BucketLimits): Promise<BucketState> {
    const options = {
      keys: [this.keyPrefix + clientKey],
      arguments: [String(limits.capacity), String(limits.restoreRate), String(cost)],
    };
    const [allowed, available] = (await this.redis.evalSha(TAKE_SHA, options).catch((error: unknown) => {
      // A Redis that has not seen the script yet (fresh start, SCRIPT FLUSH): EVAL caches it for next time.
      if (String(error).includes('NOSCRIPT')) return this.redis.eval(TAKE_SCRIPT, options);
      throw error;
    })) as [number, string];
    return bucketState(allowed === 1, Number(available), cost, limits);
  }
}
