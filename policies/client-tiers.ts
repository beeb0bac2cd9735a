/**
 * Cost budgets per client: governance as data, read by the gateway's cost plugin.
 *
 * Costs are demand-control points (see gateway/cost): a patient with a few scalar fields costs about 1, a page
 * of 20 costs about 20. Each caller has a token bucket of `capacity` points that refills at `restoreRate`
 * points per second; one operation may not ask for more than `maxCostPerOperation`, which is never more than
 * the capacity, so any allowed operation fits into a full bucket.
 */
export interface ClientTier {
  maxCostPerOperation: number;
  capacity: number;
  /** Points restored per second. */
  restoreRate: number;
}

export type ClientTierName = 'portal' | 'mobile' | 'odoo' | 'partner' | 'workflows' | 'default' | 'anonymous';
export type ClientTiers = Record<ClientTierName, ClientTier>;

/**
 * What one onboarding's graph calls are estimated at, each step once (workflows/onboarding/graph-calls.ts):
 * the patient index twice 40, the fee schedule 100, the free slots 30, the Odoo account 20, the
 * registration and the booking 11 each, a look for consent 4. What the answers did not use is given back.
 */
const ONBOARDING_POINTS = 250;

export const clientTiers: ClientTiers = {
  // Staff and patient screens: lists of appointments, a patient chart.
  portal: { maxCostPerOperation: 1000, capacity: 2000, restoreRate: 100 },
  // Smaller pages than the portal, many devices per user.
  mobile: { maxCostPerOperation: 500, capacity: 1000, restoreRate: 50 },
  // Finance sync works in batches: fewer, larger operations.
  odoo: { maxCostPerOperation: 2000, capacity: 10000, restoreRate: 500 },
  // The workflows' steps, one budget for every replica (one service identity): the bucket holds what
  // 40 onboardings are estimated at, twice what two replicas run at once (WORKFLOWS_CONCURRENCY 10
  // each), and restores the estimate of 4 a second; charged what they use, two replicas finish about
  // 7 a second within it (bench:onboarding). A deployment with more replicas sizes it up.
  workflows: { maxCostPerOperation: 500, capacity: 40 * ONBOARDING_POINTS, restoreRate: 4 * ONBOARDING_POINTS },
  // Payers and labs: their own members' rows, mostly through subscriptions and webhooks.
  partner: { maxCostPerOperation: 1000, capacity: 2000, restoreRate: 50 },
  // A client registered without a tier yet: enough to work, not enough to hurt.
  default: { maxCostPerOperation: 300, capacity: 600, restoreRate: 20 },
  // No token: public metadata at most; all anonymous callers share one bucket.
  anonymous: { maxCostPerOperation: 100, capacity: 200, restoreRate: 10 },
};

const namedTiers = ['portal', 'mobile', 'odoo', 'partner', 'workflows'] as const;

/**
 * A client's tier by the prefix of its OAuth client id: `portal`, `portal-web`, `mobile-ios`, `odoo-finance`,
 * `partner-acme-payer`. Client ids are registered by us in the identity provider, so the prefix is ours to
 * give, and a new partner gets the partner budget without a change here. Any other id is `default`; no
 * client at all is `anonymous`.
 */
export function tierNameForClient(clientId: string | null): ClientTierName {
  if (clientId === null) return 'anonymous';
  return namedTiers.find((tier) => clientId === tier || clientId.startsWith(`${tier}-`)) ?? 'default';
}

export function tierForClient(clientId: string | null, tiers: ClientTiers = clientTiers): ClientTier {
  return tiers[tierNameForClient(clientId)];
}
