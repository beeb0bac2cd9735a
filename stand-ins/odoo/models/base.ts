import type { Env, Method, Model, Row } from '../env.ts';
import { BOOLEAN, CHAR, INTEGER, SELECTION, many2one } from '../env.ts';
import { constraintFailed, UserError, ValueError } from '../exceptions.ts';
import { partnerActivityFields } from './mail.ts';

/** Ids of the seeded records, in the order seedBase inserts them; the API user is uid 2, as in Odoo. */
export const USD = 1;
export const COMPANY_PARTNER = 1;
export const ADMIN_PARTNER = 3;

export const resPartner: Model = {
  name: 'res.partner',
  fields: {
    name: CHAR,
    ref: CHAR,
    email: CHAR,
    phone: CHAR,
    vat: CHAR,
    type: SELECTION,
    active: BOOLEAN,
    is_company: BOOLEAN,
    parent_id: many2one('res.partner'),
    customer_rank: INTEGER,
    supplier_rank: INTEGER,
    ...partnerActivityFields,
  },
  // A contact of a company reads as "Company, Contact".
  displayName: (row, env) => {
    const [parent] = row.parent_id ? env.existing('res.partner', [Number(row.parent_id)]) : [];
    return parent ? `${String(parent.name)}, ${String(row.name)}` : String(row.name || '');
  },
  defaults: () => ({ type: 'contact', active: true, customer_rank: 0, supplier_rank: 0 }),
  check: (env, operation, vals, rows) => {
    // The SQL constraint check_name: a contact has a name.
    const named = (row: Partial<Row>) => row.type !== 'contact' || Boolean(row.name);
    if (operation !== 'unlink' && (rows.length === 0 ? [vals] : rows.map((row) => ({ ...row, ...vals }))).some((row) => !named(row))) {
      throw constraintFailed('Contacts require a name');
    }
    if (operation === 'unlink' && env.rows('account.move').some((move) => rows.some((row) => row.id === move.partner_id))) {
      throw UserError('The partner cannot be deleted because it is used in Accounting');
    }
  },
};

export const resUsers: Model = { name: 'res.users', fields: { name: CHAR, login: CHAR, partner_id: many2one('res.partner') } };

export const resCurrency: Model = { name: 'res.currency', fields: { name: CHAR, symbol: CHAR } };

/** The models, by technical name: activities hang on a record through its model's ir.model id. */
export const irModel: Model = { name: 'ir.model', fields: { model: CHAR, name: CHAR } };

const checkObjectReference: Method = {
  api: 'model',
  params: ['module', 'xml_id', 'raise_on_access_error?'],
  run: ({ env, args }) => {
    const data = env.rows('ir.model.data').find((row) => row.module === args.module && row.name === args.xml_id);
    if (!data) throw ValueError(`External ID not found in the system: ${String(args.module)}.${String(args.xml_id)}`);
    return [data.model, data.res_id];
  },
};

/** External ids (module.name) of seeded records, such as mail.mail_activity_data_todo. */
export const irModelData: Model = {
  name: 'ir.model.data',
  fields: { module: CHAR, name: CHAR, model: CHAR, res_id: INTEGER },
  methods: { check_object_reference: checkObjectReference },
};

export const baseModels = [resPartner, resUsers, resCurrency, irModel, irModelData];

/** What Odoo's demo database has: the company, OdooBot and the administrator (uid 2) logging in as `login`. */
export function seedBase(env: Env, login: string): void {
  env.insert('res.partner', { name: 'YourCompany', type: 'contact', active: true, is_company: true });
  env.insert('res.partner', { name: 'OdooBot', type: 'contact', active: true });
  env.insert('res.partner', { name: 'Mitchell Admin', type: 'contact', active: true, parent_id: COMPANY_PARTNER });
  env.insert('res.users', { name: 'OdooBot', login: '__system__', partner_id: 2 });
  env.insert('res.users', { name: 'Mitchell Admin', login, partner_id: ADMIN_PARTNER });
  env.insert('res.currency', { name: 'USD', symbol: '$' });
  for (const [model, name] of [['res.partner', 'Contact'], ['account.move', 'Journal Entry'], ['account.payment', 'Payments'], ['mail.activity', 'Activity']]) {
    env.insert('ir.model', { model, name });
  }
}
