import { describeFailure } from '../../../platform/events/failure.ts';
import { NotReadyError, readinessOf, type ReadinessCheck } from '../../../platform/http/readiness.ts';
import type { OdooClient } from '../odoo/client.ts';

const breakerStates = { closed: 'CLOSED', 'half-open': 'HALF_OPEN', open: 'OPEN' } as const;

/** Odoo as a dependency: up when it answers a read now; why not, by the failure's code (never its message). */
export const odooCheck = (odoo: OdooClient): ReadinessCheck => ({
  name: 'odoo',
  essential: false,
  async probe() {
    try {
      await odoo.ping();
    } catch (error) {
      throw new NotReadyError(odoo.circuitState === 'open' ? 'circuit breaker open' : `no answer: ${describeFailure(error).code}`);
    }
  },
});

/** `odooHealth`: the probe's verdict, the breaker as it stands after it, and Odoo's version when it answered. */
export async function odooHealth(odoo: OdooClient) {
  const [check] = (await readinessOf([odooCheck(odoo)])).checks;
  const up = check!.status === 'up';
  return {
    status: up ? 'UP' : 'DOWN',
    breaker: breakerStates[odoo.circuitState],
    version: up ? (await odoo.version()).serverVersion : null,
    reason: check!.reason ?? null,
  };
}
