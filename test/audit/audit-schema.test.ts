import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { subgraphSdl } from '../../schema/catalog.ts';

describe('schema/audit.graphql', () => {
  const composed = composeServices(
    (['patients', 'appointments', 'billing', 'audit'] as const).map((name, n) => ({
      name,
      url: `http://127.0.0.1:${4001 + n}/graphql`,
      typeDefs: parse(subgraphSdl(name)),
    })),
  );

  it('composes with the other subgraphs', () => {
    expect(composed.errors?.map((error) => error.message)).toBeUndefined();
  });

  it('carries the auditor-only directives on auditTrail into the supergraph for the gateway', () => {
    const auditTrail = composed.supergraphSdl?.split('\n').find((line) => line.includes('auditTrail('));
    expect(auditTrail).toContain('@authenticated');
    expect(auditTrail).toContain('@requiresScopes(scopes: [["user/AuditEvent.rs"], ["system/AuditEvent.rs"]])');
    expect(auditTrail).toContain('@policy(policies: [["auditor"], ["admin"]])');
  });
});
