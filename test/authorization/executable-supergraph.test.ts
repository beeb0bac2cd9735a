import { afterEach, describe, expect, it } from 'vitest';
import { ApolloGateway } from '@apollo/gateway';
import { executableSupergraph } from '../../gateway/authorization/executable-supergraph.ts';
import { readSupergraphSecurity } from '../../gateway/authorization/security-directives.ts';
import { composeFixture } from './fixture-supergraph.ts';

const supergraphSdl = composeFixture();
const gateways: ApolloGateway[] = [];
const load = (sdl: string) => {
  const gateway = new ApolloGateway({ supergraphSdl: sdl });
  gateways.push(gateway);
  return gateway.load();
};

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.stop()));
});

describe('executableSupergraph', () => {
  it('is needed: @apollo/gateway refuses the security features it does not enforce', async () => {
    await expect(load(supergraphSdl)).rejects.toThrow(/policy\/v0\.1 is for: SECURITY but is unsupported/);
  });

  it('loads in @apollo/gateway, whose API schema then shows no security directives', async () => {
    const { schema } = await load(executableSupergraph(supergraphSdl));
    // Only the schema's own methods: the gateway holds its own copy of graphql.
    expect(Object.keys(schema.getTypeMap())).toEqual(expect.arrayContaining(['Patient', 'ClinicalNote', 'Invoice']));
    expect(schema.getDirectives().map((directive) => directive.name)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(policy|requiresScopes|authenticated)$/)]),
    );
  });

  it('keeps the rules readable, and leaves other security features for the gateway to refuse', async () => {
    const executable = executableSupergraph(supergraphSdl);
    expect(readSupergraphSecurity(executable).rules).toEqual(readSupergraphSecurity(supergraphSdl).rules);
    const unknownFeature = executable.replace(
      '@link(url: "https://specs.apollo.dev/link/v1.0")',
      '@link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://example.org/consent/v0.1", for: SECURITY)',
    );
    await expect(load(unknownFeature)).rejects.toThrow(/consent\/v0\.1 is for: SECURITY but is unsupported/);
  });
});
