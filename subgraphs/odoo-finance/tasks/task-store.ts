import type { Queryable, Row } from '../../../platform/database/database.ts';

export type TaskStatus = 'OPEN' | 'DONE' | 'CANCELLED';

/** A task the graph gave the front office: an activity in Odoo on the patient's partner. */
export interface FrontOfficeTask {
  odooActivityId: number;
  patientId: string;
  odooPartnerId: number;
  summary: string;
  deadline: string;
  choices: string[];
  status: TaskStatus;
  decision: string | null;
  closedAt: Date | null;
}

const taskFrom = (row: Row): FrontOfficeTask => ({
  odooActivityId: row.odoo_activity_id as number,
  patientId: row.patient_id as string,
  odooPartnerId: row.odoo_partner_id as number,
  summary: row.summary as string,
  deadline: typeof row.deadline === 'string' ? row.deadline : (row.deadline as Date).toISOString().slice(0, 10),
  choices: row.choices as string[],
  status: row.status as TaskStatus,
  decision: (row.decision as string | null) ?? null,
  closedAt: (row.closed_at as Date | null) ?? null,
});

export class TaskStore {
  constructor(private readonly db: Queryable) {}

  async add(task: Omit<FrontOfficeTask, 'status' | 'decision' | 'closedAt'>): Promise<void> {
    await this.db.query(
      `INSERT INTO front_office_task (odoo_activity_id, patient_id, odoo_partner_id, summary, deadline, choices)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [task.odooActivityId, task.patientId, task.odooPartnerId, task.summary, task.deadline, task.choices],
    );
  }

  async byActivity(odooActivityIds: readonly number[]): Promise<FrontOfficeTask[]> {
    const rows = await this.db.query('SELECT * FROM front_office_task WHERE odoo_activity_id = ANY($1)', [[...odooActivityIds]]);
    return rows.map(taskFrom);
  }

  /** Closes an open task; answers it as it stands (closed before: unchanged), and whether this call closed it. */
  async close(odooActivityId: number, status: Exclude<TaskStatus, 'OPEN'>, decision: string | null, odooMessageId: number | null): Promise<{ task: FrontOfficeTask; closedNow: boolean } | undefined> {
    const closed = await this.db.query(
      `UPDATE front_office_task SET status = $2, decision = $3, odoo_message_id = $4, closed_at = now()
       WHERE odoo_activity_id = $1 AND status = 'OPEN' RETURNING odoo_activity_id`,
      [odooActivityId, status, decision, odooMessageId],
    );
    const [task] = await this.byActivity([odooActivityId]);
    return task && { task, closedNow: closed.length > 0 };
  }
}
