import { lookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { refusedAddress, type TargetPolicy } from '../../platform/webhooks/target-policy.ts';

export const TARGET_REFUSED = 'WEBHOOK_TARGET_REFUSED';

const targetRefused = () => Object.assign(new Error('The webhook target resolves to an address webhooks are never sent to'), { code: TARGET_REFUSED });

/**
 * A DNS lookup for the connection that refuses a name resolving to any address the policy forbids.
 * Checking at connect time, on the addresses the socket then uses, is what defeats DNS rebinding.
 */
export function guardedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      if (addresses.length === 0 || addresses.some(({ address }) => refusedAddress(address, policy))) return callback(targetRefused(), '');
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      callback(null, first!.address, first!.family);
    });
  };
}
