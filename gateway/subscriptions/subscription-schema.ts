import { readFileSync } from 'node:fs';
import { extendSchema, isEnumType, parse, type GraphQLSchema } from 'graphql';
import { apiSchemaOf } from '../api-schema.ts';
import { eventTypeNames, topics } from '../../platform/events/topics.ts';

const subscriptionsSdl = readFileSync(new URL('../../schema/subscriptions.graphql', import.meta.url), 'utf8');

/**
 * What WebSocket clients are validated against: the gateway's API schema, extended with
 * schema/subscriptions.graphql, so event types point at the supergraph's own entity types. Fails
 * at start when the SDL's event type enums and the topics' placements disagree, or an entity has
 * no root query to be read with.
 */
export function subscriptionSchema(supergraphSdl: string): GraphQLSchema {
  const schema = extendSchema(apiSchemaOf(supergraphSdl), parse(subscriptionsSdl));
  for (const topic of Object.values(topics)) {
    const enumType = schema.getType(`${topic.typeName}Type`);
    const declared = isEnumType(enumType) ? enumType.getValues().map((value) => value.name).sort() : [];
    const placed = eventTypeNames(topic).sort();
    if (JSON.stringify(declared) !== JSON.stringify(placed)) {
      throw new Error(`${topic.typeName}Type declares ${declared.join(', ')} but events are placed as ${placed.join(', ')}`);
    }
    for (const [name, { query }] of Object.entries(topic.entities)) {
      // An entity is resolved by its root query: one the graph lacks would hide every such event.
      if (!schema.getQueryType()?.getFields()[query]) throw new Error(`${topic.typeName}.${name} is read with Query.${query}, which the graph does not have`);
    }
  }
  return schema;
}
