/**
 * SQLSTATEs of a database that is not there for us (rather than a statement that is wrong): connection
 * exceptions (class 08), the server shutting down or starting (57P01-57P03), no connection slot left.
 */
const UNAVAILABLE_STATES = /^(08|57P0[123]$|53300$)/;
/** What node and pg say when the connection itself is refused, reset, or dropped. */
const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** Whether an error says the database could not be reached, so the caller may retry later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || CONNECTION_FAILURES.has(code))) return true;
  // A FATAL error ends the session: refused at connection (a database not accepting connections, a role gone...).
  if (severity === 'FATAL') return true;
  // pg's own, without a code, for a connection that ended under a statement or a pool that gave up connecting.
  return /^Connection terminated|^timeout exceeded when trying to connect/.test(error.message);
}
