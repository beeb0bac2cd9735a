import { entityIdOf, placementOf } from '../../platform/events/topics.ts';
import { contextFrom } from '../../platform/observability/tracing.ts';
import { isDenial, type ReadAs } from '../subscriptions/gateway-reads.ts';
import type { ResolveFor } from './organization-view.ts';

/**
 * What an endpoint's organisation may see of an event, read through the gateway as that
 * organisation (authorization, row rules, minimization and the audit apply): the event's entity by
 * id, or null when it is not theirs to see. The partner asks the graph for more. Any other failure
 * throws, so the consumer group retries and then dead-letters instead of dropping the delivery.
 */
export function gatewayView(readAs: ReadAs): ResolveFor {
  return async (caller, event) => {
    const placement = placementOf(event);
    const field = placement?.topic.entities[placement.entity as keyof typeof placement.topic.entities] as
      | { query: string; idKey: string }
      | undefined;
    const id = field && entityIdOf(event, field);
    if (!placement || !field || !id) return null;
    const read = await readAs(caller, `query WebhookEvent($id: ID!) { ${field.query}(id: $id) { __typename id } }`, { id }, contextFrom(event));
    if (read.errors?.some((error) => !isDenial(error))) throw new Error(`The ${field.query} of event ${event.id} could not be read`);
    const entity = read.data?.[field.query];
    return entity ? { type: event.type, [placement.entity]: entity } : null;
  };
}
