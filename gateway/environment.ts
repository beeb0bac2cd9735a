import type { JWK } from 'jose';
import { dataDirectory, refuseInProduction, setting, type RunMode } from '../platform/config.ts';
import { openRedis } from '../platform/redis.ts';
import { createAuthenticator, type Authenticate } from './authentication/authenticator.ts';
import { createInternalTokenSigner, loadInternalSigningKey, type SignInternalToken } from './authentication/internal-token.ts';
import { trustedEmbeddedIssuer, verifierFromSettings } from './authentication/settings.ts';
import type { EmbeddedIssuer } from './authentication/embedded-issuer.ts';
import { AuditStore, auditMigrations } from '../platform/audit/audit-store.ts';
import { createAuditWriter } from '../platform/audit/audit-writer.ts';
import { measuredAuditStore } from '../platform/audit/measured-store.ts';
import { accessRecordsQueued } from '../platform/observability/metrics.ts';
import { sampleOnScrape } from '../platform/observability/metrics-route.ts';
import { anchorFile, anchorKeeper } from '../platform/audit/anchor.ts';
import { auditAnchorDirFromEnv, auditDatabaseSettingsFromEnv } from '../platform/audit/settings.ts';
import type { AccessRecord } from '../platform/audit/access-record.ts';
import type { Database } from '../platform/database/database.ts';
import { migrate } from '../platform/database/migrations.ts';
import { openDatabase } from '../platform/database/open.ts';
import { pinged, type ReadinessCheck } from '../platform/http/readiness.ts';
import { createLogger } from '../platform/logger.ts';
import type { GovernanceSettings } from './pipeline.ts';
import type { PageSettings } from './pages/pages.ts';
import type { CostBucket } from './rate-limit/cost-bucket.ts';
import { MemoryCostBucket } from './rate-limit/memory-cost-bucket.ts';
import { FallbackCostBucket } from './rate-limit/fallback-cost-bucket.ts';
import { RedisCostBucket } from './rate-limit/redis-cost-bucket.ts';
import { loadSafelist } from './safelist/manifest.ts';

/** What the gateway needs from outside itself: who to trust, how to sign for subgraphs, where budgets live. */
export interface GatewayEnvironment {
  mode: RunMode;
  authenticate: Authenticate;
  signInternalToken: SignInternalToken;
  /** What subgraphs verify internal tokens with. */
  internalTokenPublicKey: JWK;
  bucket: CostBucket;
  /** The embedded issuer, when it is the one the gateway trusts (embedded mode, no identity provider named). */
  embeddedIssuer?: EmbeddedIssuer;
  /** Records who saw which patient data, in the hash-chained trail: resolves once durable. */
  audit: (records: AccessRecord[]) => Promise<void>;
  /** For /ready: the audit trail's database, without which no patient data is served. */
  readinessChecks: ReadinessCheck[];
  close(): Promise<void>;
}

export interface EnvironmentOptions {
  dataDir?: string;
  /**
   * The audit trail's database when the launcher already holds it (embedded PGlite is one handle
   * per database); otherwise DATABASE_URL with AUDIT_SCHEMA, or PGlite.
   */
  auditDatabase?: Database;
}

/**
 * Embedded: the local token issuer, keys in the data directory, budgets in memory.
 * Production: AUTH_JWKS_URL/FILE + AUTH_ISSUER, and REDIS_URL so every replica shares one budget
 * (COST_BUCKET_KEY_PREFIX keeps gateways sharing a Redis for other purposes, or test runs, apart).
 * While that Redis cannot be reached: COST_BUCKET_FALLBACK=open (default) serves on per-replica
 * buckets of COST_BUCKET_FALLBACK_PERCENT of each budget (50), =closed refuses every request (503).
 */
export async function openGatewayEnvironment(
  mode: RunMode,
  { dataDir = dataDirectory(), auditDatabase }: EnvironmentOptions = {},
): Promise<GatewayEnvironment> {
  const redisUrl = setting('REDIS_URL');
  const logger = createLogger('gateway');
  const redis = redisUrl ? await openRedis(redisUrl, 'gateway-cost-bucket', logger) : undefined;
  const fallback = { mode: setting('COST_BUCKET_FALLBACK'), share: setting('COST_BUCKET_FALLBACK_PERCENT') / 100 };
  const internalKey = await loadInternalSigningKey(dataDir);
  const ownAuditDatabase = auditDatabase ? undefined : await openDatabase(auditDatabaseSettingsFromEnv());
  const auditDb = auditDatabase ?? ownAuditDatabase!;
  await migrate(auditDb, auditMigrations);
  // A trail that outlives the process is anchored outside its table, signed with the gateway's key.
  const anchor = auditDb.persistent ? anchorKeeper(anchorFile(auditAnchorDirFromEnv(dataDir), auditDb.schema), auditDb.schema, internalKey, logger) : undefined;
  const auditWriter = createAuditWriter(measuredAuditStore(new AuditStore(auditDb)), { maxBatch: 500, logger, onCommitted: anchor?.committed });
  const stopSampling = sampleOnScrape(async () => accessRecordsQueued.set(auditWriter.pending()));
  return {
    mode,
    authenticate: createAuthenticator(await verifierFromSettings(mode, dataDir)),
    signInternalToken: createInternalTokenSigner(internalKey),
    internalTokenPublicKey: internalKey.publicJwk,
    embeddedIssuer: await trustedEmbeddedIssuer(mode, dataDir),
    bucket: redis ? new FallbackCostBucket(new RedisCostBucket(redis, setting('COST_BUCKET_KEY_PREFIX')), { ...fallback, logger }) : new MemoryCostBucket(),
    audit: (records) => auditWriter.record(records),
    readinessChecks: [
      { name: 'audit trail', essential: true, probe: pinged(() => auditDb.ping(), 'the audit database') },
      // Fail-open, a Redis that is away leaves the gateway degraded; fail-closed, it cannot serve.
      ...(redis ? [{ name: 'cost bucket', essential: fallback.mode === 'closed', probe: pinged(() => redis.ping().then(() => true, () => false), `Redis (fail-${fallback.mode})`) }] : []),
    ],
    async close() {
      stopSampling();
      await auditWriter.close();
      await anchor?.settled();
      await ownAuditDatabase?.close();
      await redis?.close();
    },
  };
}

/**
 * GOVERNANCE=off (benchmarks only), AUTHORIZATION_MODE=filter|reject, INTROSPECTION=true outside embedded mode,
 * SAFELIST=on (policies/persisted-operations/), GATEWAY_ALLOW_BATCHING=on.
 */
export function governanceFromSettings(environment: GatewayEnvironment): GovernanceSettings {
  const enabled = setting('GOVERNANCE');
  if (!enabled) refuseInProduction(environment.mode, 'GOVERNANCE=off', 'it serves every field to every caller, unrecorded (benchmarks only)');
  return {
    enabled,
    authorizationMode: setting('AUTHORIZATION_MODE'),
    bucket: environment.bucket,
    introspectionForEveryone: environment.mode === 'embedded' || setting('INTROSPECTION'),
    audit: environment.audit,
    safelist: setting('SAFELIST') ? loadSafelist() : undefined,
    allowBatchedRequests: setting('GATEWAY_ALLOW_BATCHING'),
  };
}

/** EXPLORER (on in embedded mode unless set); the embedded issuer's sign-in wherever the gateway trusts that issuer. */
export function pagesFromSettings(environment: GatewayEnvironment): PageSettings {
  return { explorer: setting('EXPLORER') ?? environment.mode === 'embedded', signIn: environment.embeddedIssuer };
}
