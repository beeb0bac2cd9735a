import { setting } from '../../platform/config.ts';
import { startBundledOdoo } from '../../stand-ins/odoo/server.ts';
import type { OdooConnection, TransportName } from '../../subgraphs/odoo-finance/odoo/transport.ts';

/** An Odoo the contract suite runs against, with the transport the client is set to. */
export interface OdooTarget {
  label: string;
  transport: TransportName | 'auto';
  /** Known for the bundled server; asked of a real one. */
  version?: 17 | 18 | 19;
  start(): Promise<RunningOdoo>;
}

export interface RunningOdoo {
  connection: OdooConnection;
  /** Takes Odoo down (503 on everything) or brings it back; undefined where only the proxy can. */
  setDown?(down: boolean): void;
  close(): Promise<void>;
}

/** The stand-in's login is kept short here; its faithful cost (about a second) is tested on its own. */
export const TEST_LOGIN_COST_MS = 20;

const bundled = (version: 17 | 18 | 19, transport: TransportName | 'auto'): OdooTarget => ({
  label: `bundled Odoo ${version} over ${transport}`,
  transport,
  version,
  start: async () => {
    const odoo = await startBundledOdoo({ version, loginCostMs: TEST_LOGIN_COST_MS });
    return { connection: odoo, setDown: odoo.setDown, close: odoo.close };
  },
});

/** JSON-2 exists only from Odoo 19, so 17 and 18 run over JSON-RPC alone; 19 over both. */
export const bundledTargets: OdooTarget[] = [bundled(17, 'auto'), bundled(18, 'auto'), bundled(19, 'json-rpc'), bundled(19, 'auto')];

const [ODOO_CONTRACT, ODOO_URL, ODOO_DB, ODOO_USER, ODOO_API_KEY] = [setting('ODOO_CONTRACT'), setting('ODOO_URL'), setting('ODOO_DB'), setting('ODOO_USER'), setting('ODOO_API_KEY')];

/**
 * A real Odoo, only when asked for: ODOO_CONTRACT=1 with ODOO_URL, ODOO_DB, ODOO_USER and
 * ODOO_API_KEY. An ODOO_URL left in the shell alone never sends a test there.
 */
export const realOdoo: OdooConnection | undefined =
  ODOO_CONTRACT && ODOO_URL && ODOO_DB && ODOO_USER && ODOO_API_KEY
    ? { url: ODOO_URL.replace(/\/$/, ''), db: ODOO_DB, login: ODOO_USER, apiKey: ODOO_API_KEY }
    : undefined;

if (ODOO_CONTRACT && !realOdoo) throw new Error('ODOO_CONTRACT=1 needs ODOO_URL, ODOO_DB, ODOO_USER and ODOO_API_KEY');

export const realTargets: OdooTarget[] = (['auto', 'json-rpc'] as const).map((transport) => ({
  label: `real Odoo at ODOO_URL over ${transport}`,
  transport,
  start: async () => ({ connection: realOdoo as OdooConnection, close: async () => {} }),
}));
