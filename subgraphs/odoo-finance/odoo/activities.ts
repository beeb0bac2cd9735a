import type { OdooClient } from './client.ts';
import { OdooError } from './errors.ts';
import type { Many2one } from './types.ts';

const ACTIVITY = 'mail.activity';
const PARTNER = 'res.partner';

/**
 * The activity type the healthgraph_notify addon installs: when a person marks an activity of this
 * type done, the addon tells the graph (reportOdooActivityDone). Any other type's external id will
 * do for a task the graph need not hear back about, e.g. Odoo's own To-Do.
 */
export const GRAPH_TASK_ACTIVITY_TYPE = 'healthgraph_notify.mail_activity_type_graph_task';
export const TODO_ACTIVITY_TYPE = 'mail.mail_activity_data_todo';

/** A task for a person in Odoo: an activity on a partner, shown in the partner's chatter and in the assignee's activities. */
export interface ActivityRequest {
  partnerId: number;
  summary: string;
  /** HTML, as Odoo keeps it (a link back to the graph belongs here). */
  note?: string;
  /** The deadline, YYYY-MM-DD. */
  deadline: string;
  /** The user it is assigned to; Odoo's default is the user the connector logs in as. */
  userId?: number;
  /** The activity type's external id (module.name); GRAPH_TASK_ACTIVITY_TYPE by default. */
  activityType?: string;
}

export type ActivityState = 'overdue' | 'today' | 'planned' | 'done';

export interface PartnerActivity {
  id: number;
  partnerId: number;
  summary: string | null;
  note: string | null;
  deadline: string;
  userId: number | null;
  activityType: string | null;
  state: ActivityState;
}

const FIELDS = ['res_model', 'res_id', 'summary', 'note', 'date_deadline', 'user_id', 'activity_type_id', 'state'];

const textOrNull = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
const many2one = (value: unknown) => value as Many2one;

/** Activities hang on a model by its ir.model id, not its name. */
async function partnerModelId(odoo: OdooClient): Promise<number> {
  const [model] = await odoo.searchRead('ir.model', [['model', '=', PARTNER]], { fields: ['id'], limit: 1 });
  if (!model) throw new OdooError(`Odoo has no ${PARTNER} model`);
  return model.id;
}

async function activityTypeId(odoo: OdooClient, externalId: string): Promise<number> {
  const [module, name] = externalId.split('.');
  const [, id] = await odoo.call<[string, number]>('ir.model.data', 'check_object_reference', { params: { module, xml_id: name } });
  return id;
}

/** Creates the activity; answers its id. */
export async function scheduleActivity(odoo: OdooClient, request: ActivityRequest): Promise<number> {
  const resModelId = await partnerModelId(odoo);
  const typeId = await activityTypeId(odoo, request.activityType ?? GRAPH_TASK_ACTIVITY_TYPE);
  return odoo.create(ACTIVITY, {
    res_model_id: resModelId,
    res_id: request.partnerId,
    activity_type_id: typeId,
    summary: request.summary,
    date_deadline: request.deadline,
    ...(request.note !== undefined && { note: request.note }),
    ...(request.userId !== undefined && { user_id: request.userId }),
  });
}

/**
 * The activity as it stands, or null once it is done or cancelled: Odoo 17 deletes an activity
 * marked done (keeping a message in the partner's chatter) unless its type keeps done activities.
 */
export async function readActivity(odoo: OdooClient, id: number): Promise<PartnerActivity | null> {
  const [record] = await odoo.searchRead(ACTIVITY, [['id', '=', id]], { fields: FIELDS });
  if (!record) return null;
  const user = many2one(record.user_id);
  const type = many2one(record.activity_type_id);
  return {
    id: record.id,
    partnerId: Number(record.res_id),
    summary: textOrNull(record.summary),
    note: textOrNull(record.note),
    deadline: String(record.date_deadline),
    userId: user ? user[0] : null,
    activityType: type ? type[1] : null,
    state: record.state as ActivityState,
  };
}

/**
 * "Mark Done", with what the person decided as feedback: Odoo posts it on the partner and removes
 * the activity. Answers the id of the message. One already done or cancelled is OdooMissingError.
 */
export const completeActivity = (odoo: OdooClient, id: number, feedback?: string) =>
  odoo.call<number>(ACTIVITY, 'action_feedback', { ids: [id], ...(feedback !== undefined && { params: { feedback } }) });

/** "Cancel": the activity is deleted without a message. One already gone is OdooMissingError. */
export async function cancelActivity(odoo: OdooClient, id: number): Promise<void> {
  await odoo.call(ACTIVITY, 'unlink', { ids: [id] });
}
