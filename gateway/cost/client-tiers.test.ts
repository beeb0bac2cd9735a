import { describe, expect, it } from 'vitest';
import { clientTiers, tierForClient } from '../../policies/client-tiers.ts';

// policies/ has no test folder of its own in vitest.config.ts; the cost plugin is what reads the tiers.
describe('client tiers', () => {
  it.each([
    ['portal', 'portal'],
    ['portal-web', 'portal'],
    ['mobile-ios', 'mobile'],
    ['odoo-finance', 'odoo'],
    ['partner-acme-payer', 'partner'],
    ['portalish', 'default'],
    ['reporting-tool', 'default'],
  ] as const)('gives client %s the %s tier', (clientId, tier) => {
    expect(tierForClient(clientId)).toBe(clientTiers[tier]);
  });

  it('gives callers without a client the anonymous tier', () => {
    expect(tierForClient(null)).toBe(clientTiers.anonymous);
  });

  it('lets every allowed operation fit into a full bucket', () => {
    for (const tier of Object.values(clientTiers)) expect(tier.maxCostPerOperation).toBeLessThanOrEqual(tier.capacity);
  });
});
