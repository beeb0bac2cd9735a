import type { Caller } from '../../../platform/caller.ts';
import type { Database } from '../../../platform/database/database.ts';
import { once } from '../../../platform/database/idempotency.ts';
import { badInput, conflict, notFound } from '../../../platform/errors.ts';
import type { RowScope } from '../../../platform/subgraph/row-scope.ts';
import { requiredText } from '../../../platform/validation.ts';
import { cancelActivity, readActivity, scheduleActivity } from '../odoo/activities.ts';
import type { OdooClient } from '../odoo/client.ts';
import { OdooMissingError } from '../odoo/errors.ts';
import { emit } from '../../../platform/events/outbox.ts';
import { openPartnerAccount } from '../partner-accounts.ts';
import { TaskStore, type FrontOfficeTask } from './task-store.ts';

export interface OpenTaskInput {
  patientId: string;
  summary: string;
  /** YYYY-MM-DD. */
  deadline: string;
  /** What the person may answer: one word each, the first word of their feedback. */
  choices: string[];
  /** Where the person finds the case in the graph's tools. */
  link?: string | null;
}

export interface FrontOfficeTaskSettings {
  /** The Odoo login the front office's tasks are assigned to; the connector's own user when absent. */
  frontOfficeLogin?: string;
}

const CHOICE = /^[A-Z][A-Z_]{0,29}$/;

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function validated(input: OpenTaskInput): OpenTaskInput {
  requiredText(input.summary, 'summary', 120);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.deadline) || Number.isNaN(Date.parse(input.deadline))) throw badInput('deadline must be a date (YYYY-MM-DD)', { field: 'deadline' });
  if (input.choices.length === 0 || input.choices.length > 5 || !input.choices.every((choice) => CHOICE.test(choice))) {
    throw badInput('choices must be 1 to 5 words in capitals', { field: 'choices' });
  }
  if (input.link && !/^https?:\/\/[^\s"<>]+$/.test(input.link)) throw badInput('link must be an http(s) URL', { field: 'link' });
  return input;
}

/** The note the person reads in Odoo: how to answer, and the way back to the case. */
function noteOf({ choices, link }: OpenTaskInput): string {
  const answer = `<p>Mark it done with one of these words as feedback: ${choices.map((choice) => `<b>${choice}</b>`).join(', ')}.</p>`;
  return link ? `${answer}<p><a href="${escapeHtml(link)}">Open the case</a></p>` : answer;
}

/**
 * The feedback out of the message Odoo 17 posts for a done activity (mail.message_activity_done):
 * the text between the heading paragraph and the original note.
 */
export function feedbackOf(body: string): string {
  const afterHeading = body.slice(body.indexOf('</p>') + 4);
  const beforeNote = afterHeading.split('<div class="o_mail_note_title">')[0] ?? '';
  return beforeNote
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;|&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}

/** The choice the feedback starts with, or null when it names none (the person's words are not kept: they may be patient data). */
export const decisionOf = (feedback: string, choices: readonly string[]): string | null => {
  const first = feedback.split(/\s+/)[0]?.replace(/[^A-Za-z_]/g, '').toUpperCase() ?? '';
  return choices.includes(first) ? first : null;
};

export function frontOfficeTasks(db: Database, odoo: OdooClient, { frontOfficeLogin }: FrontOfficeTaskSettings = {}) {
  async function assignee(): Promise<number | undefined> {
    if (!frontOfficeLogin) return undefined;
    const [user] = await odoo.searchRead('res.users', [['login', '=', frontOfficeLogin]], { fields: ['id'], limit: 1 });
    return user?.id;
  }

  async function task(odooActivityId: number): Promise<FrontOfficeTask> {
    const [found] = await new TaskStore(db).byActivity([odooActivityId]);
    if (!found) throw notFound('FrontOfficeTask', String(odooActivityId));
    return found;
  }

  return {
    task,

    /** An activity on the patient's partner (opened if need be), assigned to the front office. */
    open(input: OpenTaskInput, idempotencyKey: string | null | undefined, scope: RowScope, caller: Caller | null): Promise<FrontOfficeTask> {
      scope.requireEveryRow('Giving the front office a task');
      const request = validated(input);
      return db.transaction(async (tx) => {
        const odooActivityId = await once(tx, { key: idempotencyKey, caller, operation: 'openFrontOfficeTask' }, request, async () => {
          const partnerId = await openPartnerAccount(tx, odoo, request.patientId);
          const activityId = await scheduleActivity(odoo, {
            partnerId,
            summary: request.summary,
            note: noteOf(request),
            deadline: request.deadline,
            userId: await assignee(),
          });
          await new TaskStore(tx).add({ ...request, odooActivityId: activityId, odooPartnerId: partnerId });
          return activityId;
        });
        const [opened] = await new TaskStore(tx).byActivity([odooActivityId]);
        return opened!;
      });
    },

    /** Takes a task back (the case moved on without it): the activity is deleted in Odoo. */
    async cancel(odooActivityId: number, scope: RowScope): Promise<FrontOfficeTask> {
      scope.requireEveryRow('Taking back a front-office task');
      const current = await task(odooActivityId);
      if (current.status !== 'OPEN') return current;
      try {
        await cancelActivity(odoo, odooActivityId);
      } catch (error) {
        // Done or deleted in Odoo meanwhile: either way nobody has it to do any more.
        if (!(error instanceof OdooMissingError)) throw error;
      }
      return (await new TaskStore(db).close(odooActivityId, 'CANCELLED', null, null))!.task;
    },

    /**
     * The addon says a person marked the activity done. Nothing in the report is trusted but the
     * ids: the activity must be gone from Odoo, and the message must be the one Odoo posted on
     * this task's partner; the decision is read from that message's feedback.
     */
    async reportDone(odooActivityId: number, odooMessageId: number): Promise<FrontOfficeTask> {
      const current = await task(odooActivityId);
      if (current.status !== 'OPEN') return current;
      if (await readActivity(odoo, odooActivityId)) throw conflict('ACTIVITY_STILL_OPEN', `Activity ${odooActivityId} is not done in Odoo`);
      const [message] = await odoo.searchRead('mail.message', [['id', '=', odooMessageId]], { fields: ['model', 'res_id', 'body'] });
      if (!message || message.model !== 'res.partner' || Number(message.res_id) !== current.odooPartnerId) {
        throw conflict('MESSAGE_NOT_OF_TASK', `Message ${odooMessageId} is not the one Odoo posted for activity ${odooActivityId}`);
      }
      const decision = decisionOf(feedbackOf(String(message.body ?? '')), current.choices);
      // Closed and announced together: a workflow waiting on the task is woken (ids only in the event).
      return db.transaction(async (tx) => {
        const { task: done, closedNow } = (await new TaskStore(tx).close(odooActivityId, 'DONE', decision, odooMessageId))!;
        if (closedNow) await emit(tx, 'org.healthgraph.odoo.activity_done.v1', { odooActivityId, patientId: done.patientId });
        return done;
      });
    },
  };
}

export type FrontOfficeTasks = ReturnType<typeof frontOfficeTasks>;
