import { composeServices } from '@apollo/composition';
import { writeFileSync } from 'node:fs';
import type { DocumentNode } from 'graphql';

export interface RunningService {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

/**
 * Composes the supergraph with the URLs the subgraphs actually listen on and writes it to `file`,
 * so every gateway under test reads one and the same file.
 */
export function writeSupergraph(file: string, services: RunningService[]): void {
  const result = composeServices(services);
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  writeFileSync(file, result.supergraphSdl);
}
