import { subgraphSdl } from '../../schema/catalog.ts';
import type { SubgraphModule } from '../../platform/subgraph/service.ts';
import { appointmentsContext } from './context.ts';
import { appointmentsConsumerGroups, startAppointmentsWorkers } from './payer-members.ts';
import { resolvers } from './resolvers.ts';

export const appointmentsSubgraph: SubgraphModule<ReturnType<typeof appointmentsContext>> = {
  name: 'appointments',
  sdl: subgraphSdl('appointments'),
  migrations: new URL('./migrations/', import.meta.url),
  resolvers,
  context: appointmentsContext,
  workers: startAppointmentsWorkers,
  operations: () => ({ consumerGroups: appointmentsConsumerGroups }),
};
