import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { subscriptionSchema } from '../../gateway/subscriptions/subscription-schema.ts';
import { supergraphPath } from '../../schema/catalog.ts';

describe('the subscription schema', () => {
  const supergraphSdl = readFileSync(supergraphPath, 'utf8');

  it('extends the graph with the event topics, each entity readable by a root query', () => {
    const schema = subscriptionSchema(supergraphSdl);
    expect(Object.keys(schema.getSubscriptionType()!.getFields())).toEqual(['appointmentEvents', 'billingEvents', 'patientEvents', 'onboardingEvents']);
  });

  it('refuses to start when an event entity has no root query to be read with', () => {
    const withoutPayments = supergraphSdl.replace(/^\s+payment\(id: ID!\): Payment.*$/m, '');
    expect(withoutPayments).not.toBe(supergraphSdl);
    expect(() => subscriptionSchema(withoutPayments)).toThrow('BillingEvent.payment is read with Query.payment, which the graph does not have');
  });
});
