import { OdooAccessError, odooError, type OdooErrorDetail } from './errors.ts';
import { postJson } from './http.ts';
import { onceSucceeded } from './once.ts';
import type { OdooConnection, OdooTransport } from './transport.ts';
import type { OdooCall } from './types.ts';

interface JsonRpcAnswer {
  result?: unknown;
  /** `code` is 200 up to Odoo 18 and 0 from 19; it says nothing, `data.name` does. */
  error?: { message?: string; data?: OdooErrorDetail };
}

let requestId = 0;

/** One JSON-RPC 2.0 `call` to a route such as /jsonrpc or /web/webclient/version_info. */
export async function jsonRpc(url: string, route: string, params: unknown, timeoutMs: number): Promise<unknown> {
  const body = { jsonrpc: '2.0', method: 'call', params, id: ++requestId };
  const { status, payload } = await postJson(`${url}${route}`, body, {}, timeoutMs);
  const answer = payload as JsonRpcAnswer | undefined;
  if (answer?.error) throw odooError({ name: answer.error.data?.name, message: answer.error.data?.message ?? answer.error.message });
  if (status !== 200 || !answer) throw odooError(undefined, status);
  return answer.result;
}

/**
 * The external RPC API: `common.authenticate` once for the uid, then `object.execute_kw`
 * with db, uid and API key on every call.
 */
export class JsonRpcTransport implements OdooTransport {
  readonly name = 'json-rpc';
  /** The uid stays valid as long as the API key; a failed login is tried again on the next call. */
  private readonly uid = onceSucceeded(() => this.authenticate());

  constructor(
    private readonly connection: OdooConnection,
    private readonly timeoutMs: number,
  ) {}

  async execute(call: OdooCall): Promise<unknown> {
    const { url, db, apiKey } = this.connection;
    const uid = await this.uid();
    const { args, kwargs } = executeKwArguments(call);
    const params = { service: 'object', method: 'execute_kw', args: [db, uid, apiKey, call.model, call.method, args, kwargs] };
    return jsonRpc(url, '/jsonrpc', params, this.timeoutMs);
  }

  private async authenticate(): Promise<number> {
    const { url, db, login, apiKey } = this.connection;
    const params = { service: 'common', method: 'authenticate', args: [db, login, apiKey, {}] };
    const uid = await jsonRpc(url, '/jsonrpc', params, this.timeoutMs);
    // Odoo answers `false`, not an error, to a wrong login or key.
    if (typeof uid !== 'number' || uid <= 0) throw new OdooAccessError('Access Denied: Odoo rejected the login or API key');
    return uid;
  }
}

function executeKwArguments({ method, ids, params = {}, context }: OdooCall) {
  const withContext = (kwargs: Record<string, unknown>) => (context ? { ...kwargs, context } : kwargs);
  if (method === 'create') {
    // Odoo's call_kw looks at create's first positional argument to answer an id (dict) or a
    // list of ids (list), so vals_list has to travel positionally.
    const { vals_list, ...kwargs } = params;
    return { args: [vals_list], kwargs: withContext(kwargs) };
  }
  return { args: ids ? [ids] : [], kwargs: withContext(params) };
}
