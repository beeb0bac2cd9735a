import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { defaultSubgraphUrl, subgraphCatalog, subgraphSdl } from './catalog.ts';

/** Composes the subgraph SDLs into the supergraph; throws with every composition error. */
export function composeSupergraph(): string {
  const result = composeServices(
    subgraphCatalog.map(({ name, port }) => ({ name, url: defaultSubgraphUrl(port), typeDefs: parse(subgraphSdl(name)) })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
