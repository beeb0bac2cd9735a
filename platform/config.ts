// Every setting the code reads, in one place: its name, type, default, meaning and who reads it.
// Services read settings with `setting('NAME')` (typed by the declaration below) and check all of
// theirs at start with `checkSettings(reader)`, so a bad value stops the start naming the setting.
// The README's Configuration table is generated from this file (`npm run docs:configuration`).
import { subgraphCatalog, type SubgraphName } from '../schema/catalog.ts';
import { isTimeOfDay, isTimeZone } from './operations/daily-schedule.ts';

/** Who reads a setting: a service, a command, the benchmarks or the tests. */
export type Reader =
  | 'gateway'
  | 'subgraphs'
  | SubgraphName
  | 'npm start'
  | 'odoo:bundled'
  | 'audit:verify'
  | 'reconcile'
  | 'mpi:dedupe'
  | 'refdata:import'
  | 'events:*'
  | 'token'
  | 'workflows'
  | 'bench'
  | 'tests';

/** Where the setting is documented: the README's Configuration table, its Tests section, or bench/README.md. */
export type SettingGroup = 'service' | 'tests' | 'bench';

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

interface Declaration<T> {
  type: string;
  doc: string;
  readers: readonly Reader[];
  group: SettingGroup;
  /** The default as the README shows it, when it is not the value itself (`<DATA_DIR>/audit-anchor`). */
  defaultDoc?: string;
  /** Never repeated in an error message: a password, a key, a secret path. */
  secret?: boolean;
  fallback: T;
  /** The value, or a description of what it must be (a string): the caller names the setting. */
  parse(raw: string): { value: Exclude<T, undefined> } | { problem: string };
}

interface Meta {
  doc: string;
  readers: readonly Reader[];
  group?: SettingGroup;
  defaultDoc?: string;
  secret?: boolean;
}

type Fallback<D> = D extends undefined ? undefined : never;

function declare<T, D extends T | undefined>(type: string, meta: Meta & { default?: D }, parse: Declaration<T>['parse']): Declaration<T | Fallback<D>> {
  const { default: fallback, group = 'service', ...rest } = meta;
  return { type, group, ...rest, fallback: fallback as T | Fallback<D>, parse: parse as Declaration<T | Fallback<D>>['parse'] };
}

const text = <D extends string | undefined = undefined>(meta: Meta & { default?: D; pattern?: RegExp; must?: string }) =>
  declare<string, D>('text', meta, (raw) => (!meta.pattern || meta.pattern.test(raw) ? { value: raw } : { problem: `must be ${meta.must}` }));

const integer = <D extends number | undefined = undefined>(meta: Meta & { default?: D; min?: number; max?: number }) => {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = meta;
  return declare<number, D>('integer', meta, (raw) => {
    const value = Number(raw);
    return /^-?\d+$/.test(raw.trim()) && value >= min && value <= max ? { value } : { problem: `must be an integer from ${min} to ${max}` };
  });
};

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];
const boolean = <D extends boolean | undefined = undefined>(meta: Meta & { default?: D }) =>
  declare<boolean, D>('boolean', meta, (raw) => {
    const word = raw.trim().toLowerCase();
    if (TRUE.includes(word)) return { value: true };
    if (FALSE.includes(word)) return { value: false };
    return { problem: `must be true or false (also ${[...TRUE.slice(2), ...FALSE.slice(2)].join(', ')}, 1, 0)` };
  });

const oneOf = <const V extends string, D extends V | undefined = undefined>(values: readonly V[], meta: Meta & { default?: D }) =>
  declare<V, D>(values.join(' | '), meta, (raw) => ((values as readonly string[]).includes(raw) ? { value: raw as V } : { problem: `must be one of ${values.join(', ')}` }));

const url = <D extends string | undefined = undefined>(protocols: readonly string[], meta: Meta & { default?: D }) =>
  declare<string, D>('URL', meta, (raw) => {
    const problem = { problem: `must be a URL starting ${protocols.map((protocol) => `${protocol}//`).join(' or ')} with a host` };
    try {
      const parsed = new URL(raw);
      return protocols.includes(parsed.protocol) && parsed.hostname !== '' ? { value: raw } : problem;
    } catch {
      return problem;
    }
  });

/** Text that `holds`, which says what it must be. */
const checked = (holds: (raw: string) => boolean, must: string, meta: Meta) =>
  declare<string, undefined>('text', meta, (raw) => (holds(raw) ? { value: raw } : { problem: `must be ${must}` }));

const commaList = (meta: Meta & { default: string }) =>
  declare<string[], string[]>('list', { ...meta, default: meta.default.split(',') }, (raw) => ({ value: raw.split(',').map((item) => item.trim()).filter(Boolean) }));

/** A PostgreSQL schema or a prefix of names: an identifier, as SQL takes it unquoted. */
const IDENTIFIER = { pattern: /^[a-z_][a-z0-9_]{0,62}$/, must: 'a lower-case SQL identifier (letters, digits, _)' };
const POSTGRES = ['postgres:', 'postgresql:'];
const PGLITE_OR_POSTGRES = { pattern: /^(pglite|postgres(ql)?:\/\/.+)$/, must: 'a postgres:// URL or pglite' };
const REDIS = ['redis:', 'rediss:'];
const HTTP = ['http:', 'https:'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SUBGRAPHS = subgraphCatalog.map(({ name }) => name);
const EVERY_SERVICE: Reader[] = ['gateway', 'subgraphs', 'npm start'];

/** `odoo-finance` → `ODOO_FINANCE`, as subgraph names appear in setting names. */
export const settingNameOf = (subgraph: string) => subgraph.toUpperCase().replace(/[^A-Z0-9]/g, '_');

type SubgraphPortName = `SUBGRAPH_${Uppercase<SubgraphName extends `${infer A}-${infer B}` ? `${A}_${B}` : SubgraphName>}_PORT`;

const subgraphPorts = Object.fromEntries(
  subgraphCatalog.map(({ name, port }) => [
    `SUBGRAPH_${settingNameOf(name)}_PORT`,
    integer({ default: port, max: 65_535, readers: [name, 'npm start'], doc: `the ${name} subgraph's port (PORT wins when it runs alone; 0: any free port)` }),
  ]),
) as Record<SubgraphPortName, Declaration<number>>;

export const settings = {
  RUN_MODE: oneOf(['embedded', 'production'], {
    readers: EVERY_SERVICE,
    defaultDoc: '`embedded` under `npm start`, `production` for a service alone',
    doc: 'production refuses the embedded issuer, the bundled Odoo and GOVERNANCE=off; embedded trusts the local issuer and lets anyone introspect',
  }),
  PORT: integer({
    max: 65_535,
    readers: [...EVERY_SERVICE, 'odoo:bundled'],
    defaultDoc: 'gateway 4000, subgraphs 4001–4007, `odoo:bundled` 8069',
    doc: 'where the service listens; under `npm start`, the gateway (0: any free port, printed at start)',
  }),
  ...subgraphPorts,
  HOST: text({ default: '127.0.0.1', readers: EVERY_SERVICE, doc: 'the address to listen on (`0.0.0.0` in a container)' }),
  DATABASE_URL: url(POSTGRES, {
    readers: [...EVERY_SERVICE, 'audit:verify', 'reconcile', 'mpi:dedupe', 'refdata:import'],
    secret: true,
    defaultDoc: 'none: PGlite',
    doc: 'PostgreSQL connection string for every subgraph and the audit trail',
  }),
  DATABASE_SCHEMA: text({ ...IDENTIFIER, readers: ['subgraphs'], defaultDoc: 'its name (`odoo_finance`); `workflows_graph` for a workflows replica', doc: 'the PostgreSQL schema a subgraph run alone owns' }),
  PGLITE_DATA_DIR: text({
    readers: [...EVERY_SERVICE, 'audit:verify', 'reconcile', 'mpi:dedupe', 'refdata:import'],
    defaultDoc: 'none: in memory',
    doc: 'keep PGlite\'s files in `<dir>/<schema>`, so the embedded data outlives a restart and `audit:verify` can read it (with the system stopped)',
  }),
  SEED_DEMO_DATA: boolean({ default: true, readers: ['npm start'], doc: 'seed the demo data into empty databases (embedded mode only)' }),
  DATA_DIR: text({ default: '.data', readers: [...EVERY_SERVICE, 'token', 'audit:verify'], doc: 'the embedded issuer\'s and the gateway\'s keys, the audit anchors' }),
  REDIS_URL: url(REDIS, {
    readers: [...EVERY_SERVICE, 'workflows', 'events:*'],
    secret: true,
    defaultDoc: 'none: in memory',
    doc: 'the event log (Redis Streams) and the gateway\'s shared cost buckets',
  }),
  EVENT_LOG_KEY_PREFIX: text({ default: 'healthgraph:', readers: [...EVERY_SERVICE, 'workflows', 'events:*'], doc: 'Redis keys of the event log' }),
  EVENT_LOG_MAX_LENGTH: integer({ default: 100_000, min: 1, readers: [...EVERY_SERVICE, 'workflows', 'events:*'], doc: 'events kept in the stream for replay' }),
  EVENT_LOG_COMMAND_TIMEOUT_MS: integer({ default: 2_000, min: 1, readers: [...EVERY_SERVICE, 'workflows', 'events:*'], doc: 'a Redis command not answered by then fails, so appends never hang on a stalled server' }),
  LOG_LEVEL: oneOf(LOG_LEVELS, { default: 'info', readers: [...EVERY_SERVICE, 'odoo:bundled'], doc: 'pino level; logs are JSON lines with a request id, never patient data' }),

  AUTH_JWKS_URL: url(HTTP, { readers: ['gateway', 'npm start'], defaultDoc: 'the embedded issuer', doc: 'the identity provider\'s keys (RS256, ES256, EdDSA only); or AUTH_JWKS_FILE' }),
  AUTH_JWKS_FILE: text({ readers: ['gateway', 'npm start'], defaultDoc: 'the embedded issuer', doc: 'the identity provider\'s keys as a JWKS file; or AUTH_JWKS_URL' }),
  AUTH_ISSUER: text({ readers: ['gateway', 'npm start', 'token'], defaultDoc: 'the embedded issuer\'s', doc: 'the `iss` accepted; required with AUTH_JWKS_URL or AUTH_JWKS_FILE' }),
  AUTH_AUDIENCE: text({ default: 'healthcare-graph', readers: ['gateway', 'npm start', 'token'], doc: 'the `aud` accepted' }),
  GATEWAY_INTERNAL_KEY_FILE: text({
    readers: ['gateway', 'npm start'],
    defaultDoc: '`<DATA_DIR>/internal/private-key.jwk.json`, made at first start',
    doc: 'the gateway\'s private key for the internal tokens subgraphs trust, made by `npm run keys:gateway`; replicas given the same file share one identity',
  }),
  GATEWAY_JWKS_URL: url(HTTP, {
    readers: ['subgraphs'],
    defaultDoc: 'none: GATEWAY_PUBLIC_JWKS_FILE',
    doc: 'the gateway\'s `/.well-known/jwks.json`, fetched at the first call (and for a key it has not seen), so subgraphs may start before the gateway',
  }),
  GATEWAY_PUBLIC_JWKS_FILE: text({
    readers: ['subgraphs', 'audit:verify'],
    defaultDoc: '`<DATA_DIR>/internal/jwks.json`',
    doc: 'the gateway\'s internal-token public keys as a file (`npm run keys:gateway` writes it); calls without its internal token get 401',
  }),
  SUBGRAPH_TIMEOUT_MS: integer({
    default: 10_000,
    min: 1,
    readers: ['gateway'],
    doc: 'a subgraph call that waits longer to connect, for its answer\'s headers or between two chunks of its body is answered `UPSTREAM_UNAVAILABLE` (checked every half second)',
  }),
  GOVERNANCE: boolean({ default: true, readers: ['gateway'], doc: '`false` turns the policy pipeline off, for benchmarks only; refused in production' }),
  AUTHORIZATION_MODE: oneOf(['filter', 'reject'], { default: 'filter', readers: ['gateway', 'npm start'], doc: '`reject` refuses a whole operation that asks for a field the caller may not see' }),
  INTROSPECTION: boolean({ default: false, readers: ['gateway', 'npm start'], doc: 'allow introspection to everyone outside embedded mode (admins always may)' }),
  EXPLORER: boolean({
    readers: ['gateway', 'npm start'],
    defaultDoc: '`true` in embedded mode, else `false`',
    doc: 'serve the API explorer (GraphiQL, every asset from the gateway) at `/explorer`, and send browsers there from `/` and `/graphql`',
  }),
  SAFELIST: boolean({ default: false, readers: ['gateway', 'npm start'], doc: 'run only the operations registered per client' }),
  GATEWAY_EXECUTOR: oneOf(['apollo', 'planned'], { default: 'planned', readers: ['gateway', 'npm start'], doc: 'who runs @apollo/gateway\'s query plans: ours (`planned`: entity fetches to one subgraph that are ready together in one request, each representation sent once; it answers the federation audit test for test as Apollo\'s does) or @apollo/gateway\'s own executor (`apollo`)' }),
  GATEWAY_ALLOW_BATCHING: boolean({ default: false, readers: ['gateway', 'npm start'], doc: 'accept an array of operations in one POST; each is limited and charged' }),
  COST_BUCKET_KEY_PREFIX: text({ default: 'gateway:cost-bucket:', readers: ['gateway', 'npm start'], doc: 'Redis keys of the cost buckets' }),
  COST_BUCKET_FALLBACK: oneOf(['open', 'closed'], {
    default: 'open',
    readers: ['gateway'],
    doc: 'while Redis (the shared cost bucket) cannot be reached: `open` serves on per-replica buckets (logged, `/ready` degraded), `closed` refuses every request (503, `/ready` not ready)',
  }),
  COST_BUCKET_FALLBACK_PERCENT: integer({
    default: 50,
    min: 1,
    max: 100,
    readers: ['gateway'],
    doc: 'the share of each client\'s budget (capacity and restore rate) one replica grants on its own while Redis is away; 100 / replicas keeps the total within budget',
  }),
  SHUTDOWN_DRAIN_MS: integer({
    default: 10_000,
    min: 0,
    readers: EVERY_SERVICE,
    doc: 'on SIGTERM or SIGINT, how long a service lets requests in flight finish before it cuts them and exits',
  }),
  GATEWAY_WORKERS: integer({
    default: 1,
    min: 1,
    max: 64,
    readers: ['gateway', 'npm start'],
    doc: 'gateway worker processes behind the one port (`node:cluster`), each holding its own connections and subscriptions; more than 1 needs REDIS_URL (the event log and the cost budgets they share) and is refused by `npm start`, whose services share one process',
  }),
  GATEWAY_WORKER_SLOT: integer({
    min: 1,
    readers: ['gateway'],
    defaultDoc: 'set by the primary for each worker',
    doc: 'which of the GATEWAY_WORKERS a worker process is, kept by the one that replaces it (worker 1 delivers the webhooks); ignored outside a worker',
  }),
  GATEWAY_EVENTS: boolean({ default: true, readers: ['gateway'], defaultDoc: '`true` with REDIS_URL', doc: 'serve subscriptions and deliver webhooks from the shared Redis event log' }),
  AUDIT_SCHEMA: text({ ...IDENTIFIER, default: 'audit', readers: ['gateway', 'audit:verify'], doc: 'where the trail lives' }),
  AUDIT_ANCHOR_DIR: text({ readers: ['gateway', 'npm start', 'audit:verify'], defaultDoc: '`<DATA_DIR>/audit-anchor`', doc: 'where the signed checkpoints of the trail\'s end are kept' }),
  WEBHOOKS_SCHEMA: text({ ...IDENTIFIER, default: 'webhooks', readers: ['gateway'], doc: 'the webhook tables the gateway\'s deliverer reads' }),
  WEBHOOK_LOOPBACK_TARGETS: boolean({ default: false, readers: ['gateway', 'webhooks'], defaultDoc: '`false` (`true` under `npm start`)', doc: 'allow `http://127.0.0.1` targets (never in production)' }),

  METRICS: boolean({ default: true, readers: EVERY_SERVICE, doc: 'record Prometheus metrics and serve them on `/metrics`; `false` records nothing and answers 404' }),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(HTTP, {
    readers: EVERY_SERVICE,
    defaultDoc: 'none: no export',
    doc: 'OTLP/HTTP endpoint traces are sent to, e.g. `http://collector:4318/v1/traces`',
  }),
  TRACES_KEEP_SPANS: integer({
    min: 0,
    readers: EVERY_SERVICE,
    defaultDoc: '`5000` under `npm start`, else `0`',
    doc: 'recent spans kept in memory, by trace',
  }),
  TRACES_SAMPLE_PERCENT: integer({
    default: 100,
    max: 100,
    readers: EVERY_SERVICE,
    doc: 'of the requests that come without a sampling decision (no `traceparent`), the percentage traced; a caller\'s decision is always kept',
  }),
  PAYER_LATENCY_MS: integer({ default: 0, readers: ['billing', 'npm start'], doc: 'latency of the simulated payer' }),
  ODOO_URL: url(HTTP, {
    readers: ['odoo-finance', 'npm start', 'reconcile'],
    defaultDoc: 'required in production; `npm start`: the bundled stand-in',
    doc: 'the Odoo to talk to, with ODOO_DB, ODOO_USER and ODOO_API_KEY',
  }),
  ODOO_DB: text({ readers: ['odoo-finance', 'npm start', 'reconcile'], defaultDoc: 'required with ODOO_URL', doc: 'the Odoo database' }),
  ODOO_USER: text({ readers: ['odoo-finance', 'npm start', 'reconcile'], defaultDoc: 'required with ODOO_URL', doc: 'the Odoo login the API key belongs to' }),
  ODOO_API_KEY: text({ readers: ['odoo-finance', 'npm start', 'reconcile', 'odoo:bundled'], secret: true, defaultDoc: 'required with ODOO_URL; `odoo:bundled`: a random key', doc: 'the API key (the stand-in\'s, for `odoo:bundled`)' }),
  ODOO_TRANSPORT: oneOf(['auto', 'json-rpc', 'json-2'], { default: 'auto', readers: ['odoo-finance', 'npm start', 'reconcile'], doc: 'JSON-RPC or JSON-2 (Odoo 19); `auto` asks the server\'s version' }),
  ODOO_TIMEOUT_MS: integer({ default: 10_000, min: 1, readers: ['odoo-finance', 'npm start', 'reconcile'], doc: 'an Odoo call\'s timeout' }),
  ODOO_WEBHOOK_TOKEN: text({
    secret: true,
    pattern: /^[A-Za-z0-9_-]{32,}$/,
    must: 'at least 32 letters, digits, - or _',
    readers: ['odoo-finance', 'npm start'],
    defaultDoc: 'none: no webhook',
    doc: 'the secret path of the Odoo automation-rule webhook, `/odoo/webhook/<token>` on odoo-finance',
  }),
  ODOO_BUNDLED_VERSION: integer({ default: 19, min: 17, max: 19, readers: ['npm start', 'odoo:bundled'], doc: 'the Odoo version the bundled stand-in behaves as' }),
  ODOO_BUNDLED_LOGIN_MS: integer({ default: 1_000, readers: ['npm start', 'odoo:bundled'], doc: 'how long the stand-in takes to check a key, as a real Odoo\'s hashing does' }),
  RECONCILIATION_SCHEDULE: boolean({ default: true, readers: ['odoo-finance', 'npm start'], doc: 'odoo-finance reconciles billing and Odoo on the schedule of the `reconciliation` flow (`policies/flows.ts`), one run per slot across replicas; off: only `runReconciliation` and `npm run reconcile`' }),
  RECONCILIATION_TIME: checked(isTimeOfDay, 'a time of day HH:MM (24-hour)', { readers: ['odoo-finance', 'npm start'], defaultDoc: 'the flow\'s, `02:00`', doc: 'the local time of day the scheduled reconciliation runs' }),
  RECONCILIATION_TIME_ZONE: checked(isTimeZone, 'an IANA time zone such as Europe/Brussels', { readers: ['odoo-finance', 'npm start'], defaultDoc: 'the machine\'s', doc: 'the IANA time zone of RECONCILIATION_TIME, such as `Europe/Brussels`' }),
  ODOO_FRONT_OFFICE_LOGIN: text({ readers: ['odoo-finance', 'npm start'], defaultDoc: 'none: the connector\'s user', doc: 'the Odoo user front-office tasks (activities) are assigned to' }),
  WEBHOOK_DISABLE_AFTER_SECONDS: integer({ default: 86_400, min: 1, readers: ['gateway', 'npm start'], doc: 'an endpoint is disabled once every attempt has failed for this long (a burst never disables it)' }),
  EVENT_RETENTION_HOURS: integer({ default: 168, min: 1, readers: [...EVERY_SERVICE, 'webhooks'], doc: 'how long the outbox keeps an event every consumer group has not yet processed, and a disabled webhook endpoint\'s held deliveries' }),
  WORKFLOWS: boolean({ default: true, readers: ['npm start'], doc: 'run the workflows (onboarding, visit preparation) and their consumer group in the launcher\'s process' }),
  WORKFLOWS_DATABASE_URL: url(POSTGRES, { readers: ['workflows'], secret: true, defaultDoc: 'DATABASE_URL', doc: 'the workflow engine\'s PostgreSQL (`tsx workflows/main.ts`)' }),
  WORKFLOWS_SCHEMA: text({ ...IDENTIFIER, default: 'workflows', readers: ['workflows'], doc: 'the schema the workflow engine owns' }),
  WORKFLOWS_EXECUTOR_ID: text({ readers: ['workflows'], defaultDoc: 'the host name', doc: 'the replica\'s name; a restarted replica takes back its unfinished workflows under it' }),
  GATEWAY_URL: url(HTTP, { readers: ['workflows'], defaultDoc: 'required by `workflows/main.ts`', doc: 'the gateway\'s `/graphql` the workflow steps call' }),
  WORKFLOWS_TOKEN_URL: url(HTTP, { readers: ['workflows'], defaultDoc: 'required by `workflows/main.ts`', doc: 'the identity provider\'s token endpoint for the `onboarding_service` client (client credentials)' }),
  WORKFLOWS_CLIENT_ID: text({ readers: ['workflows'], defaultDoc: 'required by `workflows/main.ts`', doc: 'the `onboarding_service` client id' }),
  WORKFLOWS_CLIENT_SECRET: text({ readers: ['workflows'], secret: true, defaultDoc: 'required by `workflows/main.ts`', doc: 'the `onboarding_service` client secret' }),
  WORKFLOWS_CONCURRENCY: integer({ default: 10, min: 1, readers: ['workflows'], doc: 'onboardings (and, apart, visit preparations) a replica runs at once' }),
  WORKFLOWS_VISIT_SERVICE_CODE: text({ default: '99213', readers: ['workflows', 'npm start'], doc: 'the fee schedule code a confirmed appointment\'s pre-visit estimate is made of' }),
  WORKFLOWS_VISIT_POLL_SECONDS: integer({ default: 900, min: 1, readers: ['workflows', 'npm start'], doc: 'how often a visit preparation looks at its appointment by itself (a cancellation\'s event wakes it at once)' }),
  PATIENTS_SCHEMA: text({ ...IDENTIFIER, default: 'patients', readers: ['mpi:dedupe'], doc: 'the patients\' schema, for `npm run mpi:dedupe`' }),
  MPI_DEDUPE_BATCH: integer({ default: 2_000, min: 1, readers: ['mpi:dedupe', 'bench'], doc: 'patients per transaction of `npm run mpi:dedupe` (their pairs\' reviews and the run\'s position)' }),
  MPI_DEDUPE_RESTART: boolean({ default: false, readers: ['mpi:dedupe'], doc: 'start the deduplication afresh instead of resuming where it stopped' }),
  BILLING_SCHEMA: text({ ...IDENTIFIER, default: 'billing', readers: ['reconcile', 'refdata:import'], doc: 'billing\'s schema, for `npm run reconcile` and `npm run refdata:import`' }),
  APPOINTMENTS_SCHEMA: text({ ...IDENTIFIER, default: 'appointments', readers: ['refdata:import'], doc: 'appointments\' schema, for `npm run refdata:import`' }),
  ODOO_FINANCE_SCHEMA: text({ ...IDENTIFIER, default: 'odoo_finance', readers: ['reconcile'], doc: 'odoo-finance\'s schema, for `npm run reconcile`' }),

  TEST_DATABASE_URL: url(POSTGRES, { group: 'tests', readers: ['tests'], default: 'postgres://postgres@127.0.0.1:5432/test', doc: 'the PostgreSQL the tests create their schemas in' }),
  TEST_REDIS_URL: url(REDIS, { group: 'tests', readers: ['tests'], default: 'redis://127.0.0.1:6379', doc: 'the Redis the tests use, with unique key prefixes' }),
  TEST_SYSTEM_BACKENDS: oneOf(['embedded', 'postgres-redis'], { group: 'tests', default: 'embedded', readers: ['tests'], doc: 'where the suites that start the whole system keep their data: PGlite and the in-memory event log, or (`npm run test:system-postgres-redis`) PostgreSQL and Redis, as production does, each file in schemas and under a key prefix of its own' }),
  TEST_GATEWAY_EXECUTOR: oneOf(['apollo', 'planned'], { group: 'tests', readers: ['tests'], defaultDoc: 'GATEWAY_EXECUTOR\'s default', doc: 'the GATEWAY_EXECUTOR of the gateways the tests start (`apollo`: the suites run against @apollo/gateway\'s own executor)' }),
  TEST_LOG_LEVEL: oneOf(LOG_LEVELS, { group: 'tests', default: 'silent', readers: ['tests'], doc: 'the LOG_LEVEL of the services the tests start in their own process' }),
  ODOO_CONTRACT: boolean({ group: 'tests', default: false, readers: ['tests'], doc: 'also run the Odoo contract suite against the real Odoo ODOO_URL names' }),
  ODOO_RECORD: boolean({ group: 'tests', default: false, readers: ['tests'], doc: 'record that real Odoo\'s answers as the fixtures in `test/odoo/fixtures`' }),
  CHROMIUM_PATH: text({ group: 'tests', default: '/usr/bin/chromium', readers: ['tests'], doc: 'the Chromium the browser tests drive (Debian\'s `chromium`, installed by `.ci/run`); nothing downloads one' }),
  DOCS_SCREENSHOTS: boolean({ group: 'tests', default: false, readers: ['tests'], doc: 'also copy the browser tests\' screenshots of the explorer and the operations console to `docs/` (they are always in `test-results/screenshots`)' }),
  BENCH_SMOKE: boolean({ group: 'bench', default: false, readers: ['bench', 'tests'], doc: 'one short round (`npm run bench:smoke`); in the tests, also run the benchmark smoke test' }),
  BENCH_ROUNDS: integer({ group: 'bench', min: 1, readers: ['bench'], defaultDoc: '3 (smoke 1)', doc: 'rounds per workload and gateway' }),
  BENCH_SECONDS: integer({ group: 'bench', min: 1, readers: ['bench'], defaultDoc: '10 (smoke 2)', doc: 'seconds measured per round' }),
  BENCH_WARMUP_SECONDS: integer({ group: 'bench', readers: ['bench'], defaultDoc: '3 (smoke 1)', doc: 'seconds of warm-up before each round' }),
  BENCH_PROBE_SECONDS: integer({ group: 'bench', min: 1, readers: ['bench'], defaultDoc: '5 (smoke 1)', doc: 'seconds of the one-request-at-a-time probe (workload c)' }),
  BENCH_CONNECTIONS: integer({ group: 'bench', default: 50, min: 1, readers: ['bench'], doc: 'concurrent connections' }),
  BENCH_CALLERS_PER_CONNECTION: integer({ group: 'bench', default: 12, min: 1, readers: ['bench'], doc: 'distinct callers (tokens) per connection' }),
  BENCH_WORKLOADS: commaList({ group: 'bench', default: 'a,b,c', readers: ['bench'], doc: 'the workloads to run' }),
  BENCH_TARGETS: text({ group: 'bench', readers: ['bench'], defaultDoc: 'all', doc: 'only these targets, separated by `;`: a whole name selects that target (`bare @apollo/gateway;ours, full pipeline`), part of a name every target holding it (`router`); the first one left is the reference' }),
  BENCH_CPU_PROF_DIR: text({ group: 'bench', readers: ['bench'], defaultDoc: 'none', doc: 'write CPU profiles of our full-pipeline gateways (a folder per telemetry setting) and of the subgraphs\' process here' }),
  BENCH_AUDIT_DATABASE_URL: text({ ...PGLITE_OR_POSTGRES, group: 'bench', readers: ['bench'], secret: true, defaultDoc: 'TEST_DATABASE_URL', doc: 'our gateway\'s audit trail: PostgreSQL, as in production, in a schema of its own per gateway start, dropped when it stops; `pglite`: PGlite inside the gateway process' }),
  SUBGRAPH_AUTHORIZATION: text({ group: 'bench', readers: ['bench'], secret: true, defaultDoc: 'set by `npm run bench`', doc: 'the internal token the bare gateways put on subgraph calls' }),
  HIVE_ISSUER_JWKS: text({ group: 'bench', readers: ['bench'], defaultDoc: 'set by `npm run bench`', doc: 'the issuer keys Hive Gateway verifies tokens with' }),
  SUBGRAPH_FETCHER: oneOf(['apollo', 'undici'], { group: 'bench', default: 'apollo', readers: ['bench'], doc: 'the bare @apollo/gateway target\'s fetcher: Apollo\'s own, or our undici pools' }),
  HIVE_RUNTIME: oneOf(['default', 'router'], { group: 'bench', default: 'default', readers: ['bench'], doc: 'Hive Gateway\'s runtime: its default, or `@graphql-hive/router-runtime`' }),
  MATCH_FEBRL_DIR: text({ group: 'bench', readers: ['bench'], defaultDoc: '`shared/data/febrl` in the nearest folder above the repository', doc: 'the FEBRL data sets of `bench:match`' }),
  MATCH_HARD_HOUSEHOLDS: integer({ group: 'bench', default: 2_500, min: 1, readers: ['bench'], doc: 'households in `bench:match`\'s generated set' }),
  BENCH_ONBOARDINGS: integer({ group: 'bench', default: 100, min: 1, readers: ['bench'], doc: 'onboardings `bench:onboarding` runs on its two workflow replicas' }),
  MATCH_SCALE_RECORDS: integer({ group: 'bench', default: 1_000_000, min: 100, readers: ['bench'], doc: 'patients `bench:match:scale` registers in PostgreSQL (generated, seed 14)' }),
  MATCH_SCALE_PROBES: integer({ group: 'bench', default: 1_000, min: 10, readers: ['bench'], doc: '`patientMatch` queries `bench:match:scale` times, one at a time: people not registered, some of them duplicates of registered ones' }),
  MATCH_SCALE_SCHEMA: text({ ...IDENTIFIER, group: 'bench', readers: ['bench'], defaultDoc: 'a new one, dropped at the end', doc: 'keep `bench:match:scale`\'s registry in this schema and use it again when it already holds the same patients (only the timings after the load are measured again; the review queue is emptied first)' }),
  MATCH_SCALE_DATABASE_URL: url(POSTGRES, { group: 'bench', readers: ['bench'], secret: true, default: 'postgres://postgres@127.0.0.1:5432/test', doc: 'the PostgreSQL `bench:match:scale` loads its patients into, in a schema of its own dropped at the end' }),
  LATENCY_REQUESTS: integer({ group: 'bench', default: 600, min: 3, readers: ['bench'], doc: 'requests per target of `bench:latency`, one at a time (the first third warms up)' }),
  FANOUT_SUBSCRIBERS: commaList({ group: 'bench', default: '1000,5000', readers: ['bench'], doc: 'subscriber counts of `bench:fanout`' }),
  FANOUT_RATE: integer({ group: 'bench', default: 20, min: 1, readers: ['bench'], doc: 'events per second' }),
  FANOUT_SECONDS: integer({ group: 'bench', default: 15, min: 1, readers: ['bench'], doc: 'seconds per size' }),
  FANOUT_WORKERS: text({
    group: 'bench',
    pattern: /^[1-9]\d*(,[1-9]\d*)*$/,
    must: 'worker counts separated by commas, such as 1,2',
    readers: ['bench'],
    defaultDoc: 'the machine\'s cores, for every size',
    doc: 'gateway workers per size of `bench:fanout`, in the order of FANOUT_SUBSCRIBERS (the last counts for the sizes after it)',
  }),
  FANOUT_REDIS_URL: url(REDIS, { group: 'bench', default: 'redis://127.0.0.1:6379', readers: ['bench'], doc: 'the Redis of `bench:fanout`' }),
  FANOUT_AUDIT_DATABASE_URL: text({ ...PGLITE_OR_POSTGRES, group: 'bench', readers: ['bench'], secret: true, defaultDoc: 'TEST_DATABASE_URL', doc: 'the fan-out gateway\'s audit trail; `pglite`: PGlite inside the gateway process, which then pays for the database\'s work too' }),
  FANOUT_GATEWAY: text({ group: 'bench', readers: ['bench'], defaultDoc: 'set by `npm run bench:fanout`', doc: 'what the fan-out gateway process serves (JSON: subgraph URLs, Redis, key prefix)' }),
  FANOUT_CPU_PROF_DIR: text({ group: 'bench', readers: ['bench'], defaultDoc: 'none', doc: 'write the fan-out gateway\'s CPU profile here' }),
} as const;

export type SettingName = keyof typeof settings;
export type SettingValue<N extends SettingName> = (typeof settings)[N] extends Declaration<infer T> ? T : never;

/** Settings that were renamed: set, they stop the start rather than being silently ignored. */
const RENAMED: Record<string, SettingName> = { GATEWAY_MODE: 'RUN_MODE' };

/** The names read from the environment that are not one setting but a family: `SUBGRAPH_<NAME>_URL`. */
export const SUBGRAPH_URL_SETTING = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;

/** The families, as the README shows them beside the settings. */
export const settingFamilies = [
  {
    name: 'SUBGRAPH_<NAME>_URL',
    type: 'URL',
    group: 'service' as SettingGroup,
    readers: ['gateway'] as Reader[],
    defaultDoc: 'the supergraph\'s URL',
    doc: 'where the gateway reaches a subgraph of the supergraph it serves, e.g. `SUBGRAPH_ODOO_FINANCE_URL`',
  },
];

function read<N extends SettingName>(name: N, raw: string | undefined): SettingValue<N> {
  const declaration = settings[name] as Declaration<SettingValue<N>>;
  if (raw === undefined || raw.trim() === '') return declaration.fallback;
  const parsed = declaration.parse(raw.trim());
  if ('value' in parsed) return parsed.value;
  throw new ConfigurationError(`${name} ${parsed.problem}${declaration.secret ? '' : `, got "${raw}"`}`);
}

/** A setting's value from the environment, or its default; a value that cannot work throws naming it. */
export function setting<N extends SettingName>(name: N): SettingValue<N> {
  return read(name, process.env[name]);
}

/** Where a subgraph of the served supergraph is reached, when the environment says (`SUBGRAPH_ODOO_FINANCE_URL`). */
export function subgraphUrlSetting(subgraph: string): string | undefined {
  const name = `SUBGRAPH_${settingNameOf(subgraph)}_URL`;
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  const parsed = url(HTTP, { readers: ['gateway'], doc: '' }).parse(raw);
  if ('problem' in parsed) throw new ConfigurationError(`${name} ${parsed.problem}, got "${raw}"`);
  return raw;
}

/** A service's own port: PORT when it runs alone, else its SUBGRAPH_<NAME>_PORT (the catalog's port by default). */
export const subgraphPortSetting = (subgraph: SubgraphName): number =>
  setting(`SUBGRAPH_${settingNameOf(subgraph)}_PORT` as SubgraphPortName);

/**
 * Checks every setting `reader` reads, at start: one error naming every bad setting, instead of a
 * failure deep inside a driver (`getaddrinfo ENOTFOUND`) or half a started system.
 */
export function checkSettings(entry: Reader): void {
  // `npm start` runs every service; a subgraph reads what all subgraphs read.
  const readers: Reader[] = entry === 'npm start' ? [entry, 'gateway', 'subgraphs', ...SUBGRAPHS, 'odoo:bundled'] : SUBGRAPHS.includes(entry as SubgraphName) ? [entry, 'subgraphs'] : [entry];
  const problems: string[] = [];
  for (const name of Object.keys(settings) as SettingName[]) {
    if (!settings[name].readers.some((reader) => readers.includes(reader))) continue;
    try {
      setting(name);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  for (const [old, now] of Object.entries(RENAMED)) if (process.env[old] !== undefined) problems.push(`${old} is now ${now}`);
  if (readers.includes('gateway')) {
    for (const name of Object.keys(process.env)) {
      const subgraph = SUBGRAPH_URL_SETTING.exec(name)?.[1];
      if (!subgraph) continue;
      try {
        subgraphUrlSetting(subgraph);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  if (problems.length) throw new ConfigurationError(`Configuration: ${problems.join('; ')}`);
}

export type RunMode = 'embedded' | 'production';

/** The run mode, given the default of the entry point: `npm start` is embedded, a service alone production. */
export const runMode = (whenUnset: RunMode): RunMode => setting('RUN_MODE') ?? whenUnset;

/** Refuses, in production, what only a development machine may run: names the setting to change. */
export function refuseInProduction(mode: RunMode, what: string, because: string): void {
  if (mode === 'production') throw new ConfigurationError(`${what} is refused in production (RUN_MODE=production): ${because}`);
}

/** Where embedded mode keeps generated keys and (optionally) PGlite files. */
export const dataDirectory = () => setting('DATA_DIR');

/** The declarations, for the README's tables and the configuration test. */
export function declarations(): Array<{ name: string } & Omit<Declaration<unknown>, 'parse'>> {
  return Object.entries(settings).map(([name, { parse: _parse, ...declaration }]) => ({ name, ...declaration }));
}

/**
 * @apollo/gateway sends usage metrics to Apollo and probes cloud metadata addresses (169.254.169.254,
 * metadata.google.internal…) as it is constructed, unless APOLLO_TELEMETRY_DISABLED is in the
 * environment; it has no option for it. Set before the gateway is built; an operator who sets it to
 * false has asked.
 */
export function disableApolloTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
}
