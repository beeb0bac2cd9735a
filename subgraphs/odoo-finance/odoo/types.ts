/** Odoo's own shapes as they cross the external API. */

/** A many2one value as `read` returns it: `[id, display_name]`, or `false` when empty. */
export type Many2one = [id: number, displayName: string] | false;

/** A record as `read`/`search_read` return it: always an `id`, then the fields asked for. */
export interface OdooRecord {
  id: number;
  [field: string]: unknown;
}

/** Values for `create`/`write`; x2many fields take Odoo's command tuples, e.g. `[[0, 0, {...}]]`. */
export type OdooValues = Record<string, unknown>;

/** Odoo's context (`lang`, `active_model`, `active_ids`...). */
export type OdooContext = Record<string, unknown>;

/** A domain in Odoo's prefix notation: leaves `[field, operator, value]` and '&', '|', '!'. */
export type OdooDomain = Array<'&' | '|' | '!' | [field: string, operator: string, value: unknown]>;

/**
 * One model method call, independent of the transport. Arguments are named, as JSON-2 requires
 * (https://www.odoo.com/documentation/19.0/developer/reference/external_api.html); the JSON-RPC
 * transport turns them into execute_kw's args and kwargs.
 */
export interface OdooCall {
  model: string;
  method: string;
  /** Records the method runs on; omitted for @api.model methods (search_read, create...). */
  ids?: number[];
  params?: Record<string, unknown>;
  context?: OdooContext;
}

export interface OdooVersion {
  /** `server_version`, e.g. "17.0" or "saas~18.2". */
  serverVersion: string;
  /** First element of `server_version_info`. */
  major: number;
}
