import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { text } from 'node:stream/consumers';
import { ErrorCode } from '../../../platform/errors.ts';
import { HttpRequestError, writeJsonError } from '../../../platform/http/graphql-handler.ts';
import type { RouteHandler } from '../../../platform/http/server.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { OdooReports } from './odoo-reports.ts';

/** Odoo's automation rules post to `<this path><secret token>`: Odoo signs nothing, so the path is the secret. */
export const ODOO_WEBHOOK_PATH = '/odoo/webhook/';

const BODY_LIMIT_BYTES = 64 * 1024;

/** What each model's notification means. */
const REPORTS = { 'account.move': 'invoiceChanged', 'account.payment': 'paymentRegistered' } as const;
type NotifiedModel = keyof typeof REPORTS;

/** Digests compare in constant time whatever the lengths, so the time taken tells nothing of the token. */
const digest = (value: string) => createHash('sha256').update(value).digest();
const isToken = (candidate: string, token: string) => timingSafeEqual(digest(candidate), digest(token));

export interface OdooWebhookSettings {
  token: string;
  reports: OdooReports;
  logger: Logger;
  /**
   * Odoo sends the notification from inside the transaction that made the change, and waits for
   * the answer (1 s at most) before committing: reading at once would see the record as it was.
   */
  rereadDelayMs?: number;
}

/**
 * "Send Webhook Notification" of Odoo 17+ automation rules: a JSON body with `_model`, `_id`,
 * `_action` and the fields the rule chose. Only the model and id are used; the record is read again
 * from Odoo (see OdooReports), after the answer, so Odoo's transaction is not held up.
 */
export function odooWebhook({ token, reports, logger, rereadDelayMs = 2_000 }: OdooWebhookSettings): RouteHandler {
  return async (request, response, requestId) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith(ODOO_WEBHOOK_PATH) || !isToken(path.slice(ODOO_WEBHOOK_PATH.length), token)) {
      return writeJsonError(response, new HttpRequestError(404, 'NOT_FOUND', 'Not found'));
    }
    if (request.method !== 'POST') return writeJsonError(response, new HttpRequestError(405, ErrorCode.METHOD_NOT_ALLOWED, 'Use POST'));
    const notification = notificationFrom(await boundedBody(request));
    if (!notification) {
      return writeJsonError(response, new HttpRequestError(400, 'BAD_USER_INPUT', 'Expected a JSON object with _model (account.move or account.payment) and _id'));
    }
    accepted(response);
    const { model, id } = notification;
    setTimeout(() => {
      reports[REPORTS[model]](id).then(
        () => logger.info({ requestId, model, id }, 'Odoo notification read again'),
        (error: unknown) => logger.warn({ requestId, model, id, err: { name: (error as Error).name } }, 'Odoo notification could not be read again'),
      );
    }, rereadDelayMs).unref();
  };
}

function notificationFrom(body: string | undefined): { model: NotifiedModel; id: number } | undefined {
  try {
    const { _model: model, _id: id } = JSON.parse(body ?? '') as { _model?: unknown; _id?: unknown };
    if (typeof model !== 'string' || !Object.hasOwn(REPORTS, model) || !Number.isSafeInteger(id) || (id as number) <= 0) return undefined;
    return { model: model as NotifiedModel, id: id as number };
  } catch {
    return undefined;
  }
}

/** Odoo sends a Content-Length; without one, or over the limit, the body is not read. */
async function boundedBody(request: IncomingMessage): Promise<string | undefined> {
  const length = Number(request.headers['content-length']);
  if (!Number.isInteger(length) || length > BODY_LIMIT_BYTES) return undefined;
  return text(request);
}

function accepted(response: ServerResponse): void {
  response.statusCode = 202;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify({ status: 'accepted' }));
}
