import { bindArguments, findMethod } from './dispatch.ts';
import type { Env, OdooMajor } from './env.ts';
import { AccessDenied, NameError, OperationalError, UserError, serializeException } from './exceptions.ts';

export interface Credentials {
  db: string;
  login: string;
  apiKey: string;
}

export const versionInfo = (version: OdooMajor) => ({
  server_version: `${version}.0`,
  server_version_info: [version, 0, 0, 'final', 0, ''],
  server_serie: `${version}.0`,
  protocol_version: 1,
});

/** The answer to a JSON-RPC 2.0 request on /jsonrpc or /web/webclient/version_info, always HTTP 200. */
export function answerJsonRpc(env: Env, credentials: Credentials, route: string, request: unknown) {
  const { id = null, params = {} } = (request ?? {}) as { id?: unknown; params?: Record<string, unknown> };
  try {
    const result = route === '/web/webclient/version_info' ? versionInfo(env.version) : dispatchRpc(env, credentials, params);
    return { jsonrpc: '2.0', id, result: result ?? null };
  } catch (error) {
    // The JSON-RPC error code carries no meaning: 200 up to 18, 0 from 19.
    return { jsonrpc: '2.0', id, error: { code: env.version >= 19 ? 0 : 200, message: 'Odoo Server Error', data: serializeException(error) } };
  }
}

function dispatchRpc(env: Env, credentials: Credentials, { service, method, args }: Record<string, unknown>): unknown {
  const list = Array.isArray(args) ? args : [];
  if (service === 'common' && method === 'version') return versionInfo(env.version);
  if (service === 'common' && (method === 'login' || method === 'authenticate')) {
    const [db, login, password] = list;
    // A wrong login or key is `false`, not an error.
    return db === credentials.db && login === credentials.login && password === credentials.apiKey ? env.uid : false;
  }
  if (service === 'object' && method === 'execute_kw') return executeKw(env, credentials, list);
  throw NameError(`Method not available ${String(method)}`);
}

function executeKw(env: Env, credentials: Credentials, args: unknown[]): unknown {
  const [db, uid, password, modelName, methodName, positional = [], named = {}] = args;
  if (db !== credentials.db) throw OperationalError(`connection to server failed: FATAL:  database "${String(db)}" does not exist`);
  if (uid !== env.uid || password !== credentials.apiKey) throw AccessDenied('Access Denied');
  const model = env.models.get(String(modelName));
  if (!model) throw UserError(`Object ${String(modelName)} doesn't exist`);
  const name = String(methodName);
  const method = findMethod(model, name);
  const list = positional as unknown[];
  const [ids, rest] = method.api === 'records' ? [[list[0] ?? []].flat().map(Number), list.slice(1)] : [[], list];
  const { context = {}, ...kwargs } = named as Record<string, unknown>;
  const result = method.run({ env, model, ids, args: bindArguments(method, name, rest, kwargs), context: context as Record<string, unknown> });
  // Odoo's call_kw answers one id when create was given one dict rather than a list.
  return name === 'create' && !Array.isArray(list[0]) ? (result as number[])[0] : result;
}
