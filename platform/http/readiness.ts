/** Thrown by a readiness probe with a reason an operator may read on /ready (no secrets, no data). */
export class NotReadyError extends Error {
  override name = 'NotReadyError';
}

/** One thing a service depends on, as /ready names it. */
export interface ReadinessCheck {
  name: string;
  /**
   * Whether the service can serve nothing without it (its own database): down makes the service
   * "not ready" (503). Anything else down makes it "degraded" (200): it serves what does not need it.
   */
  essential: boolean;
  /** Resolves when up; a NotReadyError says why not. Any other failure is reported without its message. */
  probe(): Promise<void>;
}

export type ReadinessStatus = 'ready' | 'degraded' | 'not ready';

export interface CheckResult {
  name: string;
  status: 'up' | 'down';
  essential: boolean;
  reason?: string;
}

export interface Readiness {
  status: ReadinessStatus;
  checks: CheckResult[];
  /** The names of the checks that are down. */
  notReady: string[];
}

/** A probe that has not answered by then counts as down: /ready must answer a load balancer in time. */
const PROBE_TIMEOUT_MS = 2_000;

async function run(check: ReadinessCheck): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NotReadyError(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check.probe(), timeout]);
    return { name: check.name, status: 'up', essential: check.essential };
  } catch (error) {
    const reason = error instanceof NotReadyError ? error.message : 'unavailable';
    return { name: check.name, status: 'down', essential: check.essential, reason };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every probe at once. */
export async function readinessOf(checks: readonly ReadinessCheck[]): Promise<Readiness> {
  const results = await Promise.all(checks.map(run));
  const down = results.filter((result) => result.status === 'down');
  const status: ReadinessStatus = down.some((result) => result.essential) ? 'not ready' : down.length > 0 ? 'degraded' : 'ready';
  return { status, checks: results, notReady: down.map((result) => result.name) };
}

/** A probe from a ping that answers false rather than failing. */
export const pinged = (ping: () => Promise<boolean>, what: string) => async () => {
  if (!(await ping())) throw new NotReadyError(`${what} does not answer`);
};
