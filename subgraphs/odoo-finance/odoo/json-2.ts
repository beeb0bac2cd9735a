import { OdooConfigurationError, odooError, type OdooErrorDetail } from './errors.ts';
import { postJson } from './http.ts';
import type { OdooConnection, OdooTransport } from './transport.ts';
import type { OdooCall } from './types.ts';

/**
 * Odoo 19's JSON-2 API: `POST /json/2/<model>/<method>` with the named arguments, `ids` and
 * `context` as a JSON object; 200 with the result, or 4xx/5xx with `{name, message, ...}`.
 */
export class Json2Transport implements OdooTransport {
  readonly name = 'json-2';

  constructor(
    private readonly connection: OdooConnection,
    private readonly timeoutMs: number,
  ) {}

  async execute({ model, method, ids, params, context }: OdooCall): Promise<unknown> {
    const { url, db, apiKey } = this.connection;
    const route = `${url}/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`;
    const body = { ...params, ...(ids && { ids }), ...(context && { context }) };
    const headers = { authorization: `bearer ${apiKey}`, 'x-odoo-database': db };
    const { status, payload } = await postJson(route, body, headers, this.timeoutMs);
    // A method that returns nothing answers null here; JSON-RPC leaves the result out. Both are undefined.
    if (status === 200) return payload ?? undefined;
    const detail = typeof payload === 'object' && payload !== null ? (payload as OdooErrorDetail) : undefined;
    // A missing record is a 404 with Odoo's JSON error; a 404 page means there is no such route.
    if (status === 404 && !detail) throw new OdooConfigurationError('Odoo has no JSON-2 API at this URL (it came with Odoo 19): set ODOO_TRANSPORT to json-rpc or auto');
    throw odooError(detail, status);
  }
}
