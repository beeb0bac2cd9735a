import type { SubgraphName } from '../schema/catalog.ts';

/**
 * Every integration flow, by business criticality: real-time flows with the most an item may wait,
 * batch flows with their schedule. The service that owns a flow measures it and shows it met or
 * missed (`<service>Operations.flows`); a batch flow's owner runs it on its schedule.
 */
interface FlowBase {
  description: string;
  owner: SubgraphName;
}

export interface RealTimeFlow extends FlowBase {
  kind: 'REAL_TIME';
  /** The most an item may wait, from its cause to done. */
  objectiveSeconds: number;
  /**
   * What waits: the events the owner's consumer group has not handled yet (a reaction); without
   * one, what the owner's own records say waits (the Odoo sync's invoices and payments).
   */
  consumerGroup?: string;
}

export interface BatchFlow extends FlowBase {
  kind: 'BATCH';
  /** Every day at this local time (HH:MM), in the time zone of the owner's settings. */
  dailyAt: string;
  /** How late a run may finish after its slot and still meet the objective. */
  graceMinutes: number;
}

export type Flow = RealTimeFlow | BatchFlow;

const flowTable = {
  'invoice-to-odoo': {
    kind: 'REAL_TIME',
    description: 'invoice issued → posted in Odoo',
    owner: 'odoo-finance',
    objectiveSeconds: 60,
  },
  'payment-to-odoo': {
    kind: 'REAL_TIME',
    description: 'payment posted in billing → registered in Odoo',
    owner: 'odoo-finance',
    objectiveSeconds: 60,
  },
  'odoo-payment-to-billing': {
    kind: 'REAL_TIME',
    description: 'payment registered in Odoo → posted in billing',
    owner: 'billing',
    objectiveSeconds: 60,
    consumerGroup: 'billing-odoo-payments',
  },
  'encounter-to-charges': {
    kind: 'REAL_TIME',
    description: 'encounter completed → charges captured',
    owner: 'billing',
    objectiveSeconds: 60,
    consumerGroup: 'billing-encounters',
  },
  'cancellation-to-void': {
    kind: 'REAL_TIME',
    description: 'appointment cancelled → its pending charges voided',
    owner: 'billing',
    objectiveSeconds: 60,
    consumerGroup: 'billing-cancellations',
  },
  'coverage-to-payer-members': {
    kind: 'REAL_TIME',
    description: 'coverage added → the payer sees its member',
    owner: 'appointments',
    objectiveSeconds: 60,
    consumerGroup: 'appointments-payer-members',
  },
  'events-to-webhooks': {
    kind: 'REAL_TIME',
    description: 'event announced → queued for the partner endpoints that asked for it',
    owner: 'webhooks',
    objectiveSeconds: 60,
    consumerGroup: 'webhooks',
  },
  'events-to-workflows': {
    kind: 'REAL_TIME',
    description: 'consent recorded or front-office task done → the onboarding waiting on it woken; appointment confirmed or cancelled → its visit preparation',
    owner: 'workflows',
    objectiveSeconds: 60,
    consumerGroup: 'workflows',
  },
  reconciliation: {
    kind: 'BATCH',
    description: 'billing and Odoo reconciled',
    owner: 'odoo-finance',
    dailyAt: '02:00',
    graceMinutes: 60,
  },
} satisfies Record<string, Flow>;

export type FlowId = keyof typeof flowTable;
export const flows: Readonly<Record<FlowId, Flow>> = flowTable;

/** The flows a service owns, with their ids. */
export const flowsOwnedBy = (service: SubgraphName): Array<Flow & { id: FlowId }> =>
  (Object.entries(flows) as Array<[FlowId, Flow]>).filter(([, flow]) => flow.owner === service).map(([id, flow]) => ({ ...flow, id }));

/** One flow of the catalog, of the kind its measurer expects. */
export function flowOf<K extends Flow['kind']>(id: FlowId, kind: K): Extract<Flow, { kind: K }> & { id: FlowId } {
  const flow = flows[id];
  if (flow.kind !== kind) throw new Error(`The flow ${id} is not ${kind}`);
  return { ...(flow as Extract<Flow, { kind: K }>), id };
}
