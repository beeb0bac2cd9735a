import { subgraphUrlSetting } from '../platform/config.ts';
import { Kind, parse, type ConstArgumentNode } from 'graphql';

const stringArgument = (args: readonly ConstArgumentNode[] | undefined, name: string) => {
  const value = args?.find((arg) => arg.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
};

/** Each subgraph's name and URL, as the supergraph's `join__Graph` enum records them. */
export function subgraphsOf(supergraphSdl: string): Array<{ name: string; url: string }> {
  const graphs = parse(supergraphSdl).definitions.find(
    (definition) => definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph',
  );
  if (graphs?.kind !== Kind.ENUM_TYPE_DEFINITION) throw new Error('Not a supergraph: it has no join__Graph enum');
  return (graphs.values ?? []).map((value) => {
    const joinGraph = value.directives?.find((directive) => directive.name.value === 'join__graph');
    return { name: stringArgument(joinGraph?.arguments, 'name') ?? value.name.value, url: stringArgument(joinGraph?.arguments, 'url') ?? '' };
  });
}

/**
 * The URL the gateway calls for a subgraph: an explicit override (launcher, tests), then
 * `SUBGRAPH_<NAME>_URL` from the environment, then the supergraph's own.
 */
export function resolveSubgraphUrl(name: string, supergraphUrl: string, overrides: Record<string, string> = {}): string {
  return overrides[name] ?? subgraphUrlSetting(name) ?? supergraphUrl;
}
