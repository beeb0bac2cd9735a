import type { OdooCall } from './types.ts';

/** Where and as whom to call Odoo. The API key stands in for the password (JSON-RPC) or is the bearer token (JSON-2). */
export interface OdooConnection {
  url: string;
  db: string;
  login: string;
  apiKey: string;
}

export type TransportName = 'json-rpc' | 'json-2';

/** One way of carrying an {@link OdooCall} to Odoo: one attempt, bounded by its timeout, no retries. */
export interface OdooTransport {
  readonly name: TransportName;
  execute(call: OdooCall): Promise<unknown>;
}

/** JSON-2 exists from Odoo 19; JSON-RPC is deprecated there but still served (removal planned for 22). */
export const transportFor = (major: number): TransportName => (major >= 19 ? 'json-2' : 'json-rpc');
