// `npm run compose`: rewrites schema/supergraph.graphql from the subgraph SDLs.
import { writeFileSync } from 'node:fs';
import { supergraphPath } from './catalog.ts';
import { composeSupergraph } from './composition.ts';

try {
  writeFileSync(supergraphPath, composeSupergraph());
  console.log(`wrote ${supergraphPath.pathname}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
