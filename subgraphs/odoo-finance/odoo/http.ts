import { OdooTransientError } from './errors.ts';

export interface HttpAnswer {
  status: number;
  /** The parsed JSON body, or undefined when the body is not JSON (an HTML error page...). */
  payload: unknown;
}

/**
 * POSTs JSON with a per-call timeout. Node's global fetch keeps connections alive and pools them
 * per origin; nothing here sets `Connection: close`, and every body is read to the end so the
 * socket goes back to the pool.
 */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<HttpAnswer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'healthcare-graph odoo-finance', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, payload: parseJson(text) };
  } catch (error) {
    throw networkFailure(error, timeoutMs);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function networkFailure(error: unknown, timeoutMs: number): OdooTransientError {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new OdooTransientError(`Odoo did not answer within ${timeoutMs} ms`, true);
  }
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  // A refused connection never reached Odoo; any other break may have happened after it acted.
  return new OdooTransientError(`Odoo is unreachable (${String(code ?? 'network error')})`, code !== 'ECONNREFUSED');
}
