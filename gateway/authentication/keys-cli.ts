// `npm run keys:gateway -- <dir>`: the gateway's key pair for internal tokens, made once and shared:
// every gateway replica signs with the private key (GATEWAY_INTERNAL_KEY_FILE), every subgraph
// verifies with the public one (GATEWAY_PUBLIC_JWKS_FILE), so services start in any order. Run again,
// it keeps the key already there. Prints the two settings; exits 2 without a directory.
import { join, resolve } from 'node:path';
import { loadOrCreateSigningKey } from './key-store.ts';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npm run keys:gateway -- <directory for private-key.jwk.json and jwks.json>');
  process.exit(2);
}
const key = await loadOrCreateSigningKey(resolve(dir), 'EdDSA');
console.log(
  [
    `Gateway internal-token key ${key.kid} in ${resolve(dir)}:`,
    `GATEWAY_INTERNAL_KEY_FILE=${join(resolve(dir), 'private-key.jwk.json')}   # every gateway replica; keep it secret`,
    `GATEWAY_PUBLIC_JWKS_FILE=${join(resolve(dir), 'jwks.json')}   # every subgraph and npm run audit:verify`,
  ].join('\n'),
);
