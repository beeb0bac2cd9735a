import { subgraphSdl } from '../../schema/catalog.ts';
import type { SubgraphModule } from '../../platform/subgraph/service.ts';
import { patientsContext } from './context.ts';
import { resolvers } from './resolvers.ts';

export const patientsSubgraph: SubgraphModule<ReturnType<typeof patientsContext>> = {
  name: 'patients',
  sdl: subgraphSdl('patients'),
  migrations: new URL('./migrations/', import.meta.url),
  resolvers,
  context: patientsContext,
};
