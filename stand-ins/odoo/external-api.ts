import { setTimeout as sleep } from 'node:timers/promises';
import type { Env, Method, Model, OdooMajor } from './env.ts';
import {
  AccessDenied,
  AccessError,
  AttributeError,
  BadRequest,
  NameError,
  NotFound,
  OdooException,
  OperationalError,
  PythonTypeError,
  Unauthorized,
  UnprocessableEntity,
  UserError,
  serializeException,
} from './exceptions.ts';
import { ormMethods } from './orm.ts';

export interface Credentials {
  db: string;
  login: string;
  apiKey: string;
}

/**
 * Who may call, and what checking a key costs. Odoo tries the key as the password first (600,000
 * PBKDF2 rounds), so a login takes a second or two; execute_kw checks the key the same way once per
 * worker process and then caches it.
 */
export interface Gate {
  credentials: Credentials;
  loginCostMs: number;
  /** execute_kw's cache of checked keys. */
  checked: Set<string>;
}

export const versionInfo = (version: OdooMajor) => ({
  server_version: `${version}.0`,
  server_version_info: [version, 0, 0, 'final', 0, ''],
  server_serie: `${version}.0`,
  protocol_version: 1,
});

/**
 * The answer to a JSON-RPC 2.0 request on /jsonrpc or /web/webclient/version_info, always HTTP 200.
 * A method that returns None has no `result` in the answer.
 */
export async function answerJsonRpc(env: Env, gate: Gate, route: string, request: unknown) {
  const { id = null, params = {} } = (request ?? {}) as { id?: unknown; params?: Record<string, unknown> };
  try {
    const result = route === '/web/webclient/version_info' ? versionInfo(env.version) : await dispatchRpc(env, gate, params);
    return { jsonrpc: '2.0', id, ...(result !== undefined && result !== null && { result }) };
  } catch (error) {
    // The JSON-RPC error code carries no meaning: 200 up to 18, 0 from 19.
    return { jsonrpc: '2.0', id, error: { code: env.version >= 19 ? 0 : 200, message: 'Odoo Server Error', data: serializeException(error) } };
  }
}

async function dispatchRpc(env: Env, gate: Gate, { service, method, args }: Record<string, unknown>): Promise<unknown> {
  const list = Array.isArray(args) ? args : [];
  const { credentials } = gate;
  if (service === 'common' && method === 'version') return versionInfo(env.version);
  if (service === 'common' && (method === 'login' || method === 'authenticate')) {
    const [db, login, password] = list;
    await sleep(gate.loginCostMs);
    // A wrong login or key is `false`, not an error.
    return db === credentials.db && login === credentials.login && password === credentials.apiKey ? env.uid : false;
  }
  if (service === 'object' && method === 'execute_kw') {
    const [db, uid, password] = list;
    if (db !== credentials.db) throw OperationalError(`connection to server failed: FATAL:  database "${String(db)}" does not exist`);
    const key = `${String(uid)}:${String(password)}`;
    if (!gate.checked.has(key)) {
      await sleep(gate.loginCostMs);
      if (uid !== env.uid || password !== credentials.apiKey) throw AccessDenied('Access Denied');
      gate.checked.add(key);
    }
    return executeKw(env, list);
  }
  throw NameError(`Method not available ${String(method)}`);
}

function executeKw(env: Env, args: unknown[]): unknown {
  const [, , , modelName, methodName, positional = [], named = {}] = args;
  const model = env.models.get(String(modelName));
  if (!model) throw UserError(`Object ${String(modelName)} doesn't exist`);
  const name = String(methodName);
  const method = findMethod(env, model, name);
  const list = positional as unknown[];
  const [ids, rest] = method.api === 'records' ? [[list[0] ?? []].flat().map(Number), list.slice(1)] : [[], list];
  const { context = {}, ...kwargs } = named as Record<string, unknown>;
  const result = method.run({ env, model, ids, args: bindArguments(method, name, rest, kwargs), context: context as Record<string, unknown> });
  // Odoo's call_kw answers one id when create was given one dict rather than a list.
  return name === 'create' && !Array.isArray(list[0]) ? (result as number[])[0] : result;
}

export interface Json2Request {
  model: string;
  method: string;
  authorization: string | undefined;
  body: unknown;
}

/**
 * Odoo 19's /json/2/<model>/<method>: a bearer API key, named arguments plus `ids` and `context`
 * in a JSON object; 200 with the result, or the exception's HTTP status with it serialized.
 * X-Odoo-Database is optional and this server hosts one database, so it is not checked.
 */
export function answerJson2(env: Env, gate: Gate, request: Json2Request): { status: number; body: unknown } {
  try {
    return { status: 200, body: call(env, gate.credentials, request) ?? null };
  } catch (error) {
    return { status: error instanceof OdooException ? error.httpStatus : 500, body: serializeException(error) };
  }
}

function call(env: Env, credentials: Credentials, { model: modelName, method: methodName, authorization, body }: Json2Request): unknown {
  if (/^bearer\s+(.+)$/i.exec(authorization ?? '')?.[1] !== credentials.apiKey) throw Unauthorized('Invalid apikey');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw BadRequest('could not parse the body, expecting a json object');
  const { ids = [], context = {}, ...named } = body as Record<string, unknown>;
  const model = env.models.get(modelName);
  if (!model) throw NotFound(`the model '${modelName}' does not exist`);
  // A method that does not exist is a 404; a private one stays an AccessError (403).
  const method = rethrownAs(NotFound, () => findMethod(env, model, methodName), 'builtins.AttributeError');
  const recordIds = (Array.isArray(ids) ? ids : [ids]).map(Number);
  if (method.api === 'model' && recordIds.length > 0) throw UnprocessableEntity(`cannot call ${modelName}.${methodName} with ids`);
  const args = rethrownAs(UnprocessableEntity, () => bindArguments(method, methodName, [], named));
  return method.run({ env, model, ids: recordIds, args, context: context as Record<string, unknown> });
}

/** odoo.service.model's check of the method's name; from 18 (get_public_method) the messages name the model first. */
function findMethod(env: Env, model: Model, name: string): Method {
  const from18 = env.version >= 18;
  if (name.startsWith('_')) {
    throw AccessError(from18 ? `Private methods (such as '${model.name}.${name}') cannot be called remotely.` : `Private methods (such as ${name}) cannot be called remotely.`);
  }
  const method = model.methods?.[name] ?? ormMethods[name];
  if (!method) throw AttributeError(from18 ? `The method '${model.name}.${name}' does not exist` : `The method '${name}' does not exist on the model '${model.name}'`);
  return method;
}

/** Binds positional and named arguments to the method's parameters, as Python would. */
function bindArguments(method: Method, name: string, positional: unknown[], named: Record<string, unknown>): Record<string, unknown> {
  const names = method.params.map((param) => param.replace('?', ''));
  if (positional.length > names.length) throw PythonTypeError(`${name}() takes ${names.length} positional arguments but ${positional.length} were given`);
  const args: Record<string, unknown> = Object.fromEntries(positional.map((value, index) => [names[index], value]));
  for (const [key, value] of Object.entries(named)) {
    if (!names.includes(key)) throw PythonTypeError(`${name}() got an unexpected keyword argument '${key}'`);
    if (key in args) throw PythonTypeError(`${name}() got multiple values for argument '${key}'`);
    args[key] = value;
  }
  const missing = method.params.filter((param) => !param.endsWith('?') && !(param in args));
  if (missing.length > 0) throw PythonTypeError(`${name}() missing required argument(s): ${missing.join(', ')}`);
  return args;
}

/** Runs `step`, turning its Odoo exception (of `only` that class) into the one JSON-2 answers with. */
function rethrownAs<T>(raise: (message: string) => OdooException, step: () => T, only?: string): T {
  try {
    return step();
  } catch (error) {
    const matches = error instanceof OdooException && (only === undefined || error.pythonName === only);
    throw matches ? raise(error.message) : error;
  }
}
