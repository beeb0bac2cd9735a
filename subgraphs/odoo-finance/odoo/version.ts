import { OdooError } from './errors.ts';
import { jsonRpc } from './json-rpc.ts';
import type { OdooVersion } from './types.ts';

interface VersionInfo {
  server_version?: unknown;
  server_version_info?: unknown;
}

/** Asks /web/webclient/version_info (no login needed), served by every version from 16 to 19. */
export async function fetchVersion(url: string, timeoutMs: number): Promise<OdooVersion> {
  const info = (await jsonRpc(url, '/web/webclient/version_info', {}, timeoutMs)) as VersionInfo | undefined;
  // Online builds say "saas~18" where on-premise says 18.
  const first = Array.isArray(info?.server_version_info) ? String(info.server_version_info[0]) : '';
  const major = Number(/\d+/.exec(first)?.[0]);
  if (!Number.isInteger(major)) throw new OdooError('Odoo answered version_info without server_version_info');
  return { serverVersion: String(info?.server_version ?? major), major };
}
