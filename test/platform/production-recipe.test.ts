// The README's production recipe, followed as written: the gateway's key made first, the six
// subgraphs started as processes before the gateway, then two gateway replicas sharing that key.
// What a test machine cannot have is replaced: ports come from the OS (PORT=0, read from each
// service's "ready" line), the identity provider is a JWKS served here, Odoo is the bundled stand-in,
// and schemas and Redis keys get unique names.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedIssuer } from '../../gateway/authentication/embedded-issuer.ts';
import { loadSigningKey } from '../../gateway/authentication/key-store.ts';
import { settingNameOf } from '../../platform/config.ts';
import { signInternalToken } from '../../platform/internal-token.ts';
import { standaloneSubgraphs } from '../../schema/catalog.ts';
import { startBundledOdoo, type BundledOdoo } from '../../stand-ins/odoo/server.ts';
import { redisUrl, withAdmin } from '../events/event-logs.ts';
import { dropSchemas, postgresUrl, uniqueName } from '../support/databases.ts';
import { spawnGateway, spawnService, type ServiceProcess } from '../support/gateway-process.ts';
import { graphql } from '../support/graphql.ts';

const run = promisify(execFile);
const projectRoot = new URL('../../', import.meta.url);

/** The recipe's commands, in the README's order: `npm run keys:gateway`, then each `npx tsx <main>`. */
function recipeSteps(): string[] {
  const readme = readFileSync(new URL('README.md', projectRoot), 'utf8');
  const block = /<!-- production recipe[^>]*-->\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return [...block.matchAll(/npm run (keys:gateway)|npx tsx (\S+)/g)].map(([, npm, main]) => npm ?? main!);
}

const REGISTER = 'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { id } }';
const PATIENT = 'query($id: ID!) { patient(id: $id) { id gender } }';

describe('the production recipe (README), start to finish', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hg-recipe-'));
  const prefix = uniqueName('recipe');
  const schemaOf = (name: string) => `${prefix}_${name.replace('-', '_')}`;
  const services: ServiceProcess[] = [];
  let odoo: BundledOdoo;
  let identityProvider: Server;
  let gateways: ServiceProcess[] = [];
  let keyFiles: { GATEWAY_INTERNAL_KEY_FILE: string; GATEWAY_PUBLIC_JWKS_FILE: string };
  let issue: (role: string) => Promise<Record<string, string>>;

  beforeAll(async () => {
    // The workflows replica (workflows/main.ts) serves the workflows subgraph after the gateway is up, with a
    // token endpoint this test's identity provider does not have: its fields answer UPSTREAM_UNAVAILABLE here.
    expect(recipeSteps()).toEqual(['keys:gateway', ...standaloneSubgraphs.map(({ main }) => main), 'gateway/main.ts']);
    // npm run keys:gateway -- /etc/healthgraph/gateway
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'gateway/authentication/keys-cli.ts', join(dir, 'gateway')], { cwd: projectRoot });
    keyFiles = Object.fromEntries([...stdout.matchAll(/^(GATEWAY_\w+_FILE)=(\S+)/gm)].map(([, name, value]) => [name, value])) as typeof keyFiles;

    // The identity provider: its keys at a URL, as AUTH_JWKS_URL expects.
    const idp = await openEmbeddedIssuer({ dataDir: join(dir, 'idp'), issuer: 'https://idp.test' });
    identityProvider = createServer((_request, response) => response.setHeader('content-type', 'application/json').end(JSON.stringify(idp.jwks)));
    identityProvider.listen(0, '127.0.0.1');
    await once(identityProvider, 'listening');
    const idpPort = (identityProvider.address() as { port: number }).port;
    issue = async (role) => ({ authorization: `Bearer ${await idp.issueToken({ role })}` });
    odoo = await startBundledOdoo({ version: 17, loginCostMs: 10 });

    // export DATABASE_URL=… REDIS_URL=…; export GATEWAY_PUBLIC_JWKS_FILE=…
    const shared = { DATABASE_URL: postgresUrl, REDIS_URL: redisUrl, EVENT_LOG_KEY_PREFIX: `${prefix}:`, GATEWAY_PUBLIC_JWKS_FILE: keyFiles.GATEWAY_PUBLIC_JWKS_FILE };
    const odooSettings = { ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_USER: odoo.login, ODOO_API_KEY: odoo.apiKey };
    // The six subgraphs, before any gateway exists.
    services.push(
      ...(await Promise.all(
        standaloneSubgraphs.map(({ name, main }) =>
          spawnService(main, { ...shared, DATABASE_SCHEMA: schemaOf(name), ...(name === 'odoo-finance' ? odooSettings : {}) }, 'subgraph ready'),
        ),
      )),
    );
    const subgraphUrls = Object.fromEntries(standaloneSubgraphs.map(({ name }, n) => [`SUBGRAPH_${settingNameOf(name)}_URL`, services[n]!.url]));
    const gatewaySettings = {
      ...shared,
      ...subgraphUrls,
      GATEWAY_INTERNAL_KEY_FILE: keyFiles.GATEWAY_INTERNAL_KEY_FILE,
      AUTH_JWKS_URL: `http://127.0.0.1:${idpPort}/jwks`,
      AUTH_ISSUER: 'https://idp.test',
      AUDIT_SCHEMA: schemaOf('audit'),
      WEBHOOKS_SCHEMA: schemaOf('webhooks'),
      COST_BUCKET_KEY_PREFIX: `${prefix}:cost:`,
      DATA_DIR: join(dir, 'gateway-data'),
    };
    // Two replicas with one identity.
    gateways = await Promise.all([spawnGateway(gatewaySettings), spawnGateway({ ...gatewaySettings, DATA_DIR: join(dir, 'gateway-data-2') })]);
  }, 240_000);

  afterAll(async () => {
    const all = [...gateways, ...services];
    for (const { process: child } of all) child.kill('SIGTERM');
    await Promise.all(all.map(({ process: child }) => (child.exitCode === null ? once(child, 'exit') : undefined)));
    identityProvider?.close();
    await odoo?.close();
    await dropSchemas(postgresUrl, ...standaloneSubgraphs.map(({ name }) => schemaOf(name)));
    await withAdmin(redisUrl, async (admin) => {
      for await (const keys of admin.scanIterator({ MATCH: `${prefix}:*` })) if (keys.length > 0) await admin.del(keys);
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves through either gateway replica: subgraphs started first trust the shared key', async () => {
    const frontDesk = await issue('front_desk');
    const registered = await graphql(gateways[0]!.url, REGISTER, { input: { name: { family: 'Recipe', given: ['Ada'] }, birthDate: '1980-02-03', gender: 'FEMALE' } }, frontDesk);
    expect(registered.errors).toBeUndefined();
    const id = registered.data!.registerPatient.id as string;
    for (const gateway of gateways) {
      const read = await graphql(gateway.url, PATIENT, { id }, frontDesk);
      expect(read.errors).toBeUndefined();
      expect(read.data!.patient).toEqual({ id, gender: 'FEMALE' });
    }
  });

  it('is ready end to end, and a subgraph reached around the gateway answers 401', async () => {
    for (const gateway of gateways) expect((await fetch(new URL('/ready', gateway.url))).status).toBe(200);
    const direct = await fetch(services[0]!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(direct.status).toBe(401);
  });

  it('publishes the gateway\'s public keys at /.well-known/jwks.json, which a subgraph takes as GATEWAY_JWKS_URL', async () => {
    const published = await (await fetch(new URL('/.well-known/jwks.json', gateways[1]!.url))).json();
    expect(published).toEqual(JSON.parse(readFileSync(keyFiles.GATEWAY_PUBLIC_JWKS_FILE, 'utf8')));
    const patients = await spawnService(
      'subgraphs/patients/main.ts',
      { DATABASE_URL: postgresUrl, DATABASE_SCHEMA: schemaOf('patients'), GATEWAY_JWKS_URL: new URL('/.well-known/jwks.json', gateways[0]!.url).href, DATA_DIR: join(dir, 'empty') },
      'subgraph ready',
    );
    services.push(patients);
    const key = await loadSigningKey(keyFiles.GATEWAY_INTERNAL_KEY_FILE, 'EdDSA', 'GATEWAY_INTERNAL_KEY_FILE');
    const { token } = await signInternalToken({ caller: null }, key, 60);
    const call = (headers: Record<string, string>) => fetch(patients.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":"{ __typename }"}' });
    expect((await call({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await call({})).status).toBe(401);
  });
});
