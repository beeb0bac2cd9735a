import type { Env, Field, Method, Model, Row } from '../env.ts';
import { BOOLEAN, CHAR, DATE, HTML, INTEGER, SELECTION, computed, many2one } from '../env.ts';
import { constraintFailed, recordMissing, ValidationError } from '../exceptions.ts';
import { displayName } from '../orm.ts';

/**
 * Activities as Odoo 17 has them (addons/mail/models/mail_activity.py): a task on a record, for a
 * user, by a deadline. Marking one done posts a message on the record and deletes the activity,
 * or archives it when its type keeps done activities (none of the standard types does).
 */
const ACTIVITY = 'mail.activity';
const MESSAGE = 'mail.message';
const ACTIVITIES_SUBTYPE = 'mail.mt_activities';

type ActivityState = 'overdue' | 'today' | 'planned' | 'done';

function activityState(env: Env, activity: Row): ActivityState | false {
  if (!activity.date_deadline) return false;
  if (activity.active === false) return 'done';
  const deadline = String(activity.date_deadline);
  const today = env.today();
  return deadline < today ? 'overdue' : deadline === today ? 'today' : 'planned';
}

/** A record's open activities, soonest first (mail.activity's _order). */
const activitiesOf = (env: Env, model: string, id: number) =>
  env
    .rows(ACTIVITY)
    .filter((activity) => activity.res_id === id && modelOf(env, activity) === model && activity.active !== false)
    .sort((a, b) => String(a.date_deadline).localeCompare(String(b.date_deadline)) || a.id - b.id);

const modelOf = (env: Env, activity: Row): string | false => {
  const [model] = env.existing('ir.model', [Number(activity.res_model_id)]);
  return model ? String(model.model) : false;
};

/** mail.activity.mixin's fields, which res.partner has. */
export const partnerActivityFields: Record<string, Field> = {
  activity_ids: computed('one2many', (env, partner) => activitiesOf(env, 'res.partner', partner.id).map((activity) => activity.id), ACTIVITY),
  // The most pressing state among the open activities.
  activity_state: computed('selection', (env, partner) => {
    const states = activitiesOf(env, 'res.partner', partner.id).map((activity) => activityState(env, activity));
    return (['overdue', 'today', 'planned'] as const).find((state) => states.includes(state)) ?? false;
  }),
  activity_summary: computed('char', (env, partner) => activitiesOf(env, 'res.partner', partner.id)[0]?.summary ?? false),
  activity_date_deadline: computed('date', (env, partner) => activitiesOf(env, 'res.partner', partner.id)[0]?.date_deadline ?? false),
};

/** markupsafe's escape, as QWeb's t-esc and t-field write text into HTML. */
const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;').replace(/"/g, '&#34;');

/**
 * The body of mail.message_activity_done, as Odoo 17 renders it (whitespace included; checked
 * against a real 17 with and without feedback and note, summary set, done by the assignee).
 */
function doneMessageBody(env: Env, activity: Row, feedback: unknown): string {
  const [type] = env.existing('mail.activity.type', [Number(activity.activity_type_id)]);
  const [assignee] = env.existing('res.users', [Number(activity.user_id)]);
  const byAnother = activity.user_id !== env.uid && assignee ? ` (originally assigned to <span>${escape(String(assignee.name))}</span>)` : '';
  const summary = activity.summary ? `\n        <span>: </span><span>${escape(String(activity.summary))}</span>` : '';
  const lines = typeof feedback === 'string' && feedback ? feedback.split('\n').map(escape) : [];
  const feedbackBlock = lines.length ? `    <div>\n            ${lines.join('<br>\n            ')}\n    </div>\n` : '';
  const note = activity.note && activity.note !== '<p><br></p>'
    ? `\n        <div class="o_mail_note_title"><strong>Original note:</strong></div>\n        <div>${String(activity.note)}</div>`
    : '';
  const icon = type?.icon ? `fa ${String(type.icon)} fa-fw` : 'fa  fa-fw';
  return `\n    <p>\n        <span class="${icon}"></span><span>${escape(String(type?.name ?? ''))}</span> done${byAnother}${summary}\n    </p>\n${feedbackBlock}    ${note}\n`;
}

function postDoneMessage(env: Env, activity: Row, feedback: unknown): Row {
  const model = String(modelOf(env, activity));
  const recordModel = env.models.get(model);
  const [record] = env.existing(model, [Number(activity.res_id)]);
  const [user] = env.existing('res.users', [env.uid]);
  const subtype = env.rows('ir.model.data').find((data) => `${String(data.module)}.${String(data.name)}` === ACTIVITIES_SUBTYPE);
  return env.insert(MESSAGE, {
    model,
    res_id: activity.res_id,
    record_name: record && recordModel ? displayName(env, recordModel, record) : false,
    body: doneMessageBody(env, activity, feedback),
    message_type: 'notification',
    subtype_id: subtype?.res_id ?? false,
    mail_activity_type_id: activity.activity_type_id ?? false,
    author_id: user?.partner_id ?? false,
    subject: false,
  });
}

/** _action_done: a message per activity, then the activity deleted, or archived if its type keeps done ones. */
function markDone(env: Env, ids: number[], feedback: unknown): number | false {
  const activities = env.browse(ACTIVITY, ids);
  const messages = activities.map((activity) => postDoneMessage(env, activity, feedback));
  for (const activity of activities) {
    const [type] = env.existing('mail.activity.type', [Number(activity.activity_type_id)]);
    if (type?.keep_done) Object.assign(activity, { active: false, date_done: env.today() });
    else env.remove(ACTIVITY, [activity.id]);
  }
  return messages[0]?.id ?? false;
}

const actionFeedback: Method = { api: 'records', params: ['feedback?', 'attachment_ids?'], run: ({ env, ids, args }) => markDone(env, ids, args.feedback) };
const actionDone: Method = { api: 'records', params: [], run: ({ env, ids }) => markDone(env, ids, false) };

const REQUIRED_MODEL = [
  'The operation cannot be completed:',
  '- Create/update: a mandatory field is not set.',
  '- Delete: another model requires the record being deleted. If possible, archive it instead.',
  '',
  'Model: Activity (mail.activity)',
  'Field: Document Model (res_model_id)',
  '',
].join('\n');

export const mailActivity: Model = {
  name: ACTIVITY,
  fields: {
    res_model_id: many2one('ir.model'),
    res_model: computed('char', (env, activity) => modelOf(env, activity)),
    res_id: INTEGER,
    res_name: computed('char', (env, activity) => {
      const model = modelOf(env, activity);
      return model ? (env.existing(model, [Number(activity.res_id)])[0]?.name ?? false) : false;
    }),
    activity_type_id: many2one('mail.activity.type'),
    summary: CHAR,
    note: HTML,
    date_deadline: DATE,
    date_done: DATE,
    user_id: many2one('res.users'),
    active: BOOLEAN,
    state: computed('selection', activityState),
  },
  displayName: (activity, env) => String(activity.summary || env.existing('mail.activity.type', [Number(activity.activity_type_id)])[0]?.name || ''),
  defaults: (env) => ({ user_id: env.uid, active: true, date_deadline: env.today() }),
  check: (env, operation, vals) => {
    if (operation !== 'create') return;
    if (!vals.res_model_id) throw ValidationError(REQUIRED_MODEL);
    if (!vals.res_id) throw constraintFailed('Activities have to be linked to records with a not null res_id.');
    // Odoo subscribes the assignee to the record, which has to exist.
    const [model] = env.existing('ir.model', [Number(vals.res_model_id)]);
    const target = String(model?.model);
    if (env.existing(target, [Number(vals.res_id)]).length === 0) throw recordMissing(target, [Number(vals.res_id)], env.uid);
  },
  methods: { action_feedback: actionFeedback, action_done: actionDone },
};

export const mailActivityType: Model = {
  name: 'mail.activity.type',
  fields: { name: CHAR, category: SELECTION, icon: CHAR, keep_done: BOOLEAN },
};

export const mailMessage: Model = {
  name: MESSAGE,
  fields: {
    model: CHAR,
    res_id: INTEGER,
    record_name: CHAR,
    body: HTML,
    message_type: SELECTION,
    subtype_id: many2one('mail.message.subtype'),
    mail_activity_type_id: many2one('mail.activity.type'),
    author_id: many2one('res.partner'),
    subject: CHAR,
  },
};

export const mailMessageSubtype: Model = { name: 'mail.message.subtype', fields: { name: CHAR } };

export const mailModels = [mailActivity, mailActivityType, mailMessage, mailMessageSubtype];

function insertWithExternalId(env: Env, externalId: string, model: string, values: Record<string, unknown>): void {
  const row = env.insert(model, values);
  const [module, name] = externalId.split('.');
  env.insert('ir.model.data', { module, name, model, res_id: row.id });
}

/**
 * The activity types and message subtypes the mail module installs, with their external ids, and
 * the type the healthgraph_notify addon adds (the stand-in is an Odoo with the addon installed).
 */
export function seedMail(env: Env): void {
  const types = [
    ['mail.mail_activity_data_email', 'Email', 'default', 'fa-envelope'],
    ['mail.mail_activity_data_call', 'Call', 'phonecall', 'fa-phone'],
    ['mail.mail_activity_data_meeting', 'Meeting', 'default', 'fa-users'],
    ['mail.mail_activity_data_todo', 'To-Do', 'default', 'fa-tasks'],
    ['mail.mail_activity_data_upload_document', 'Upload Document', 'upload_file', 'fa-upload'],
    ['healthgraph_notify.mail_activity_type_graph_task', 'Healthcare graph task', 'default', 'fa-heartbeat'],
  ] as const;
  for (const [externalId, name, category, icon] of types) insertWithExternalId(env, externalId, 'mail.activity.type', { name, category, icon, keep_done: false });
  const subtypes = [['mail.mt_comment', 'Discussions'], ['mail.mt_note', 'Note'], [ACTIVITIES_SUBTYPE, 'Activities']] as const;
  for (const [externalId, name] of subtypes) {
    insertWithExternalId(env, externalId, 'mail.message.subtype', { name });
  }
}
