import { startBundledOdoo } from '../../stand-ins/odoo/server.ts';
import type { OdooConnection, TransportName } from '../../subgraphs/odoo-finance/odoo/transport.ts';

/** An Odoo the contract suite runs against, with the transport the client is set to. */
export interface OdooTarget {
  label: string;
  transport: TransportName | 'auto';
  start(): Promise<RunningOdoo>;
}

export interface RunningOdoo {
  connection: OdooConnection;
  /** Takes Odoo down (503 on everything) or brings it back; undefined where only the proxy can. */
  setDown?(down: boolean): void;
  close(): Promise<void>;
}

const bundled = (version: 17 | 18 | 19, transport: TransportName): OdooTarget => ({
  label: `bundled Odoo ${version} over ${transport}`,
  transport,
  start: async () => {
    const odoo = await startBundledOdoo({ version });
    return { connection: odoo, setDown: odoo.setDown, close: odoo.close };
  },
});

/** JSON-2 exists only from Odoo 19, so 17 and 18 run over JSON-RPC alone; 19 over both. */
export const bundledTargets: OdooTarget[] = [
  bundled(17, 'json-rpc'),
  bundled(18, 'json-rpc'),
  bundled(19, 'json-rpc'),
  bundled(19, 'json-2'),
];

const { ODOO_URL, ODOO_DB, ODOO_USER, ODOO_API_KEY } = process.env;

/** A real Odoo from ODOO_URL, ODOO_DB, ODOO_USER and ODOO_API_KEY: JSON-RPC, and 'auto' (JSON-2 from 19). */
export const realOdoo: OdooConnection | undefined =
  ODOO_URL && ODOO_DB && ODOO_USER && ODOO_API_KEY
    ? { url: ODOO_URL.replace(/\/$/, ''), db: ODOO_DB, login: ODOO_USER, apiKey: ODOO_API_KEY }
    : undefined;

export const realTargets: OdooTarget[] = (['json-rpc', 'auto'] as const).map((transport) => ({
  label: `real Odoo at ODOO_URL over ${transport}`,
  transport,
  start: async () => ({ connection: realOdoo as OdooConnection, close: async () => {} }),
}));
