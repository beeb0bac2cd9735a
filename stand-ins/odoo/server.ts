import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { setting } from '../../platform/config.ts';
import { Env, type OdooMajor } from './env.ts';
import { answerJson2, answerJsonRpc, type Credentials, type Gate } from './external-api.ts';
import { accountingModels, seedAccounting } from './models/accounting.ts';
import { baseModels, seedBase } from './models/base.ts';
import { mailModels, seedMail } from './models/mail.ts';

export interface BundledOdooOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  version: OdooMajor;
  db?: string;
  login?: string;
  /** Defaults to a random 160-bit key, like Odoo's. */
  apiKey?: string;
  /** How long checking the key takes (DEFAULT_LOGIN_COST_MS); tests make it short. */
  loginCostMs?: number;
}

/**
 * A real Odoo 17 took 0.5 to 1.5 s to log in with an API key here (it tries the key as the
 * password first: 600,000 PBKDF2 rounds), on authenticate and on a worker's first execute_kw.
 */
export const DEFAULT_LOGIN_COST_MS = 1_000;

export interface BundledOdoo extends Credentials {
  url: string;
  version: OdooMajor;
  close(): Promise<void>;
  /** While down, every request is answered 503, as from a proxy in front of a stopped Odoo. */
  setDown(down: boolean): void;
}

const VERSIONS: readonly OdooMajor[] = [17, 18, 19];

/** ODOO_BUNDLED_VERSION (17, 18 or 19; 19 by default), ODOO_BUNDLED_LOGIN_MS (DEFAULT_LOGIN_COST_MS). */
export function bundledOdooSettingsFromEnv(): Pick<BundledOdooOptions, 'version' | 'loginCostMs'> {
  return { version: setting('ODOO_BUNDLED_VERSION') as OdooMajor, loginCostMs: setting('ODOO_BUNDLED_LOGIN_MS') };
}

/**
 * An Odoo-compatible server in memory, a stand-in for the embedded default and for tests (never
 * for production): the external JSON-RPC API of 17, 18 and 19, and JSON-2 for 19, over the models
 * the graph uses.
 */
export async function startBundledOdoo(options: BundledOdooOptions): Promise<BundledOdoo> {
  const { port = 0, version, db = 'bundled', login = 'admin', apiKey = randomBytes(20).toString('hex'), loginCostMs = DEFAULT_LOGIN_COST_MS } = options;
  const credentials = { db, login, apiKey };
  const env = createDatabase(version, login);
  const gate: Gate = { credentials, loginCostMs, checked: new Set() };
  let down = false;
  const server = createServer((request, response) => {
    if (down) return send(response, 503, 'text/plain', 'Service Unavailable');
    text(request).then(
      (body) => route(env, gate, request, body, response),
      () => send(response, 400, 'text/plain', 'Bad Request'),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ...credentials,
    version,
    setDown: (value) => {
      down = value;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(env: Env, gate: Gate, request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://odoo').pathname;
  if (request.method !== 'POST') return send(response, 405, 'text/plain', 'Method Not Allowed');
  if (path === '/jsonrpc' || path === '/web/webclient/version_info') {
    return sendJson(response, 200, await answerJsonRpc(env, gate, path, parseJson(body)));
  }
  const json2 = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
  // Before 19 there is no such route: Odoo's HTML 404 page.
  if (!json2 || env.version < 19) return send(response, 404, 'text/html', '<h1>Not Found</h1>');
  const [, model = '', method = ''] = json2;
  const call = { model: decodeURIComponent(model), method: decodeURIComponent(method), authorization: request.headers.authorization, body: parseJson(body) };
  const answer = answerJson2(env, gate, call);
  sendJson(response, answer.status, answer.body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const sendJson = (response: ServerResponse, status: number, body: unknown) =>
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(body));

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** A new in-memory database with the models of `version` and what a fresh one with Invoicing and demo data has. */
function createDatabase(version: OdooMajor, login: string): Env {
  const models = [...baseModels, ...accountingModels(version), ...mailModels];
  const env = new Env(version, new Map(models.map((model) => [model.name, model])));
  seedBase(env, login);
  seedAccounting(env);
  seedMail(env);
  return env;
}
