import { openEmbeddedIssuer, type TokenRequest } from '../../gateway/authentication/embedded-issuer.ts';

/** Bearer headers from the embedded issuer the launched system trusts (same data directory). */
export async function bearerFor(request: TokenRequest, dataDir?: string): Promise<Record<string, string>> {
  const issuer = await openEmbeddedIssuer({ dataDir });
  return { authorization: `Bearer ${await issuer.issueToken(request)}` };
}
