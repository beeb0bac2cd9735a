import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text as readText } from 'node:stream/consumers';
import { isDeepStrictEqual } from 'node:util';
import type { ProxiedRequest } from './fault-proxy.ts';

/**
 * Recorded exchanges with an Odoo, normalized so that a recording from one database compares with
 * a run against another: ids become `<id:model#n>` by first appearance, journal numbers
 * `<name:INV#n>`, dates `<date:today+n>`, and the key, database, login and run label placeholders.
 */
export interface Exchange {
  request: { path: string; body: unknown };
  /** `page` instead of `body` for an answer that is not JSON (Odoo's HTML 404 page...). */
  response: { status: number; body?: unknown; page?: string };
}

export interface Fixture {
  odoo: string;
  scenario: string;
  recordedOn: string;
  exchanges: Exchange[];
}

/** The values of a run that stand in a recording as placeholders. */
export interface Literals {
  apiKey: string;
  db: string;
  login: string;
  /** The label that keeps one run's references apart from another's. */
  run: string;
}

/** Which model each relational field points to, for the models the contract touches ('*': any model). */
const RELATIONS: Record<string, Record<string, string>> = {
  '*': {
    partner_id: 'res.partner',
    commercial_partner_id: 'res.partner',
    author_id: 'res.partner',
    currency_id: 'res.currency',
    journal_id: 'account.journal',
    company_id: 'res.company',
    user_id: 'res.users',
    create_uid: 'res.users',
    activity_user_id: 'res.users',
    product_id: 'product.product',
    tax_ids: 'account.tax',
    move_id: 'account.move',
    activity_ids: 'mail.activity',
    activity_type_id: 'mail.activity.type',
    mail_activity_type_id: 'mail.activity.type',
    res_model_id: 'ir.model',
    subtype_id: 'mail.message.subtype',
  },
  'account.move': { invoice_line_ids: 'account.move.line', line_ids: 'account.move.line' },
  'account.payment': { reconciled_invoice_ids: 'account.move' },
  // The contract puts activities on partners only.
  'mail.activity': { res_id: 'res.partner' },
  'mail.message': { res_id: 'res.partner' },
};

const relationOf = (model: string | undefined, field: string) =>
  model === undefined ? undefined : field === 'id' ? model : (RELATIONS[model]?.[field] ?? RELATIONS['*']?.[field]);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const DAY_MS = 86_400_000;

/** A two-way map between the values of one run and the placeholders' numbers, in order of first appearance. */
class Numbering<T> {
  private readonly byValue = new Map<T, number>();
  private readonly byNumber = new Map<number, T>();

  numberOf(value: T): number {
    const known = this.byValue.get(value);
    return known ?? this.link(value, Math.max(0, ...this.byNumber.keys()) + 1);
  }

  /** The value a placeholder stands for in this run; `fresh` makes one for a placeholder not seen yet. */
  valueOf(number: number, fresh: (taken: (value: T) => boolean) => T): T {
    if (this.byNumber.has(number)) return this.byNumber.get(number) as T;
    const value = fresh((candidate) => this.byValue.has(candidate));
    this.link(value, number);
    return value;
  }

  private link(value: T, number: number): number {
    this.byValue.set(value, number);
    this.byNumber.set(number, value);
    return number;
  }
}

interface Call {
  model?: string;
  method?: string;
}

/** One run's normalization: recording (values to placeholders) and replaying (placeholders back to values). */
export class Normalizer {
  private readonly ids = new Map<string, Numbering<number>>();
  private readonly names = new Map<string, Numbering<string>>();

  constructor(
    private readonly literals: Literals,
    private readonly today = new Date().toISOString().slice(0, 10),
  ) {}

  exchange(proxied: ProxiedRequest): Exchange {
    const body = JSON.parse(proxied.body) as unknown;
    const request = this.request(proxied.path, body);
    const answer = proxied.answer;
    if (!answer) throw new Error(`no answer recorded for ${proxied.path}`);
    return { request, response: this.response(proxied.path, body, answer.status, answer.contentType, answer.body) };
  }

  request(path: string, body: unknown): Exchange['request'] {
    const { model } = callOf(path, body);
    // JSON-2: the named arguments, the record ids and the context in one object.
    if (path.startsWith('/json/2/')) return { path, body: this.values(body as Record<string, unknown>, model) };
    const { id: _requestId, ...rpc } = body as Record<string, unknown>;
    const params = rpc.params as Record<string, unknown> | undefined;
    if (!params?.args) return { path, body: rpc };
    const args = params.method === 'execute_kw' ? this.executeKwArguments(params.args as unknown[]) : (params.args as unknown[]).map((arg) => this.value(arg, undefined));
    return { path, body: { ...rpc, params: { ...params, args } } };
  }

  /** db, uid, key, model, method, then the record ids (or create's values) and the other arguments. */
  private executeKwArguments([db, uid, key, model, method, positional = [], named = {}]: unknown[]): unknown[] {
    const [first, ...rest] = positional as unknown[];
    const records = this.value(first, String(model), method === 'create' ? 'vals' : 'id');
    const normalized = first === undefined ? [] : [records, ...rest.map((value) => this.value(value, String(model)))];
    return [this.text(db), this.value(uid, 'res.users', 'id'), this.text(key), model, method, normalized, this.values(named as Record<string, unknown>, String(model))];
  }

  response(path: string, requestBody: unknown, status: number, contentType: string, text: string): Exchange['response'] {
    if (!contentType.includes('json')) return { status, page: contentType.split(';')[0] };
    const call = callOf(path, requestBody);
    const body = JSON.parse(text) as Record<string, unknown>;
    if (path.startsWith('/json/2/')) return { status, body: status === 200 ? this.result(call, body) : this.error(body) };
    const { id: _requestId, ...answer } = body;
    if (isObject(answer.error)) {
      const { data, ...error } = answer.error;
      return { status, body: { ...answer, error: { ...error, data: this.error(data as Record<string, unknown>) } } };
    }
    if (!('result' in answer)) return { status, body: answer };
    const params = (requestBody as { params?: Record<string, unknown> }).params;
    const result = params?.method === 'authenticate' ? this.value(answer.result, 'res.users', 'id') : this.result(call, answer.result);
    return { status, body: { ...answer, result } };
  }

  /** A recorded answer with this run's values in place of the placeholders. */
  denormalize(value: unknown): unknown {
    if (typeof value === 'string') {
      const whole = /^<id:([\w.]+)#(\d+)>$/.exec(value);
      if (whole) return this.concreteId(String(whole[1]), Number(whole[2]));
      return this.concreteText(value);
    }
    if (Array.isArray(value)) return value.map((item) => this.denormalize(item));
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.denormalize(item)]));
    return value;
  }

  private result({ model, method }: Call, result: unknown): unknown {
    if (method === 'check_object_reference' && Array.isArray(result)) return [result[0], this.value(result[1], String(result[0]), 'id')];
    if (method === 'action_feedback' || method === 'action_done') return this.value(result, 'mail.message', 'id');
    if (method === 'create' || method === 'search') return this.value(result, model, 'id');
    return this.value(result, model);
  }

  /** Odoo's serialized exception, without the traceback (paths of the machine it ran on). */
  private error(data: Record<string, unknown> | undefined) {
    if (!data) return data;
    const { debug: _traceback, ...rest } = data;
    return this.value(rest, undefined);
  }

  private value(value: unknown, model: string | undefined, field?: string): unknown {
    const relation = field === undefined ? undefined : relationOf(model, field);
    if (relation) return this.relational(value, relation);
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item, model));
    if (isObject(value)) return this.values(value, model);
    return value;
  }

  private values(values: Record<string, unknown>, model: string | undefined): Record<string, unknown> {
    const target = typeof values.res_model === 'string' ? values.res_model : model;
    return Object.fromEntries(
      Object.entries(values).map(([key, value]) => {
        if (key === 'domain') return [key, this.domain(value, target)];
        if (key === 'ids') return [key, this.relational(value, String(model))];
        if (key === 'active_ids') return [key, this.relational(value, String(values.active_model))];
        if (key === 'res_id' && target !== model) return [key, this.relational(value, String(target))];
        return [key, this.value(value, model, key)];
      }),
    );
  }

  private domain(domain: unknown, model: string | undefined): unknown {
    if (!Array.isArray(domain)) return domain;
    return domain.map((term) => (Array.isArray(term) && term.length === 3 ? [term[0], term[1], this.value(term[2], model, String(term[0]))] : term));
  }

  /** A many2one ([id, name] or id), a list of ids, or x2many commands. */
  private relational(value: unknown, model: string): unknown {
    if (typeof value === 'number') return value > 0 ? `<id:${model}#${this.numbering(model).numberOf(value)}>` : value;
    if (!Array.isArray(value)) return value;
    if (value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string') return [this.relational(value[0], model), this.text(value[1])];
    return value.map((item) => (Array.isArray(item) ? this.command(item, model) : this.relational(item, model)));
  }

  private command([code, id, data]: unknown[], model: string): unknown[] {
    if (code === 0) return [0, id, this.value(data, model)];
    if (code === 6) return [6, id, this.relational(data, model)];
    const command = [code, this.relational(id, model)];
    return data === undefined ? command : [...command, code === 1 ? this.value(data, model) : data];
  }

  private text(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    const { apiKey, db, login, run } = this.literals;
    const whole: Record<string, string> = { [apiKey]: '<api-key>', [db]: '<db>', [login]: '<login>' };
    if (whole[value]) return whole[value];
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `<date:today${offset(this.today, value)}>`;
    if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return '<datetime>';
    return value
      .replaceAll(run, '<run>')
      .replace(/\b([A-Z][A-Z0-9]*)\/\d{4}\/\d+\b/g, (name, prefix: string) => `<name:${prefix}#${this.nameNumbering(prefix).numberOf(name)}>`)
      .replace(/\(\* (\d+)\)/g, (_match, id: string) => `(* ${String(this.relational(Number(id), 'account.move'))})`)
      .replace(/\(id (\d+)\)/g, (_match, id: string) => `(id ${String(this.relational(Number(id), 'account.move'))})`)
      .replace(/Record: ([\w.]+)\(([\d, ]+),\), User: (\d+)/g, (_match, model: string, ids: string, uid: string) => {
        const records = ids.split(',').map((id) => String(this.relational(Number(id.trim()), model)));
        return `Record: ${model}(${records.join(', ')},), User: ${String(this.relational(Number(uid), 'res.users'))}`;
      });
  }

  private concreteText(value: string): unknown {
    const { apiKey, db, login, run } = this.literals;
    const whole: Record<string, string> = { '<api-key>': apiKey, '<db>': db, '<login>': login, '<datetime>': new Date().toISOString().slice(0, 19).replace('T', ' ') };
    if (whole[value]) return whole[value];
    return value
      .replaceAll('<run>', run)
      .replace(/<date:today([+-]\d+)>/g, (_match, days: string) => new Date(Date.parse(this.today) + Number(days) * DAY_MS).toISOString().slice(0, 10))
      .replace(/<name:([A-Z][A-Z0-9]*)#(\d+)>/g, (_match, prefix: string, number: string) =>
        this.nameNumbering(prefix).valueOf(Number(number), () => `${prefix}/${this.today.slice(0, 4)}/${number.padStart(5, '0')}`),
      )
      .replace(/<id:([\w.]+)#(\d+)>/g, (_match, model: string, number: string) => String(this.concreteId(model, Number(number))));
  }

  /** Replayed ids start at 101, clear of the small ids a test picks itself. */
  private concreteId(model: string, number: number): number {
    return this.numbering(model).valueOf(number, (taken) => {
      let id = 100 + number;
      while (taken(id)) id++;
      return id;
    });
  }

  private numbering(model: string): Numbering<number> {
    let numbering = this.ids.get(model);
    if (!numbering) this.ids.set(model, (numbering = new Numbering()));
    return numbering;
  }

  private nameNumbering(prefix: string): Numbering<string> {
    let numbering = this.names.get(prefix);
    if (!numbering) this.names.set(prefix, (numbering = new Numbering()));
    return numbering;
  }
}

const offset = (today: string, date: string) => {
  const days = Math.round((Date.parse(date) - Date.parse(today)) / DAY_MS);
  return days >= 0 ? `+${days}` : String(days);
};

/** The model and method a request calls, over either protocol. */
function callOf(path: string, body: unknown): Call {
  const json2 = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
  if (json2) return { model: json2[1], method: json2[2] };
  const params = (body as { params?: { method?: unknown; args?: unknown[] } }).params;
  if (params?.method !== 'execute_kw' || !params.args) return {};
  return { model: String(params.args[3]), method: String(params.args[4]) };
}

const fixturesFolder = (major: number) => new URL(`./fixtures/odoo${major}/`, import.meta.url);

export function writeFixture(major: number, fixture: Fixture): void {
  mkdirSync(fixturesFolder(major), { recursive: true });
  writeFileSync(new URL(`${fixture.scenario}.json`, fixturesFolder(major)), `${readableJson(fixture)}\n`);
}

/** JSON with what fits on a line kept on one, so a re-recording's diff reads call by call. */
function readableJson(value: unknown, indent = ''): string {
  const flat = JSON.stringify(value);
  if (flat.length + indent.length <= 120 || typeof value !== 'object' || value === null) return flat;
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((item) => `${inner}${readableJson(item, inner)}`)
    : Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${readableJson(item, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${items.join(',\n')}\n${indent}${close}`;
}

export function readFixtures(major: number): Fixture[] {
  return readdirSync(fixturesFolder(major))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(new URL(file, fixturesFolder(major)), 'utf8')) as Fixture);
}

export interface ReplayedOdoo {
  url: string;
  /** The requests as they arrived, for the scenarios that count them. */
  requests: ProxiedRequest[];
  /** Requests that were not the next recorded one: the connector no longer sends what Odoo was sent. */
  mismatches: Array<{ expected: Exchange['request'] | undefined; actual: Exchange['request'] }>;
  /** Recorded exchanges nobody asked for. */
  remaining(): number;
  close(): Promise<void>;
}

/**
 * Answers as the recorded Odoo did, in order: each request must be the next recorded one (after
 * normalization); its answer is the recorded one with this run's ids, dates and names.
 */
export async function replayOdoo(fixture: Fixture, literals: Literals): Promise<ReplayedOdoo> {
  const normalizer = new Normalizer(literals);
  const requests: ProxiedRequest[] = [];
  const mismatches: ReplayedOdoo['mismatches'] = [];
  let next = 0;
  const server = createServer(async (request, response) => {
    const body = await readText(request);
    const path = request.url ?? '/';
    requests.push({ path, body });
    const actual = normalizer.request(path, JSON.parse(body));
    const expected = fixture.exchanges[next];
    if (!expected || !isDeepStrictEqual(actual, expected.request)) {
      mismatches.push({ expected: expected?.request, actual });
      response.writeHead(599, { 'content-type': 'text/plain' }).end('not the recorded request');
      return;
    }
    next++;
    const { status, body: answer, page } = expected.response;
    if (page) response.writeHead(status, { 'content-type': page }).end('<html><body>replayed page</body></html>');
    else response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(normalizer.denormalize(answer)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    mismatches,
    remaining: () => fixture.exchanges.length - next,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
