import { subgraphSdl } from '../../schema/catalog.ts';
import type { SubgraphModule } from '../../platform/subgraph/service.ts';
import { patientsContext, type PatientsContext } from './context.ts';
import { resolvers } from './resolvers.ts';

export const patientsSubgraph: SubgraphModule<PatientsContext> = {
  name: 'patients',
  sdl: subgraphSdl('patients'),
  migrations: new URL('./migrations/', import.meta.url),
  resolvers,
  context: patientsContext,
};
