import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpService, type HttpService } from '../../platform/http/server.ts';
import { odooWebhook, ODOO_WEBHOOK_PATH } from '../../subgraphs/odoo-finance/inbound/odoo-webhook.ts';
import type { OdooReports } from '../../subgraphs/odoo-finance/inbound/odoo-reports.ts';

const TOKEN = 'a-secret-path-token-of-forty-characters-x';

/** Every log line the service writes, as text. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Issue 11, finding 8: the access log of a service must never carry a route's secret, nor a request id a client made up. */
describe('access logs', () => {
  let service: HttpService;
  let lines: string[];
  const reread: number[] = [];

  beforeAll(async () => {
    const captured = capturedLogger();
    lines = captured.lines;
    // Stands in for Odoo: this test is about what the log says, not what is read again.
    const record = async (id: number) => void reread.push(id);
    const reports = { invoiceChanged: record, paymentRegistered: record } as unknown as OdooReports;
    service = await startHttpService({
      name: 'odoo-finance',
      port: 0,
      logger: captured.logger,
      checks: [],
      routes: { [ODOO_WEBHOOK_PATH]: odooWebhook({ token: TOKEN, reports, logger: captured.logger, rereadDelayMs: 0 }) },
    });
  });
  afterAll(() => service?.close());

  const post = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ _model: 'account.move', _id: 7 }) });

  it("never writes the Odoo webhook's secret path token, whether the call is right or wrong", async () => {
    expect((await post(`${ODOO_WEBHOOK_PATH}${TOKEN}`)).status).toBe(202);
    expect((await post(`${ODOO_WEBHOOK_PATH}${TOKEN}x`)).status).toBe(404);
    expect((await post(`${ODOO_WEBHOOK_PATH}${TOKEN}?debug=1`)).status).toBe(202);
    await expect.poll(() => reread.length).toBe(2);
    const accessLines = lines.filter((line) => JSON.parse(line).msg === 'request');
    expect(accessLines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain(TOKEN.slice(0, 16));
    // What an operator still learns: which route, the status, the time taken.
    expect(accessLines.map((line) => JSON.parse(line))).toEqual(
      [202, 404, 202].map((status) => expect.objectContaining({ route: `${ODOO_WEBHOOK_PATH}*`, status, ms: expect.any(Number) })),
    );
  });

  it.each([
    ['too long', 'r'.repeat(129)],
    ['with characters outside [A-Za-z0-9_.:-]', 'id with spaces"}{'],
    ['with non-ASCII letters', 'idé'],
  ])('replaces a request id %s with a new one, in the answer and the log', async (_what, given) => {
    const before = lines.length;
    const response = await post(`${ODOO_WEBHOOK_PATH}${TOKEN}x`, { 'x-request-id': given });
    const answered = response.headers.get('x-request-id');
    expect(answered).toMatch(/^[0-9a-f-]{36}$/);
    const logged = lines.slice(before).map((line) => JSON.parse(line) as { requestId?: string });
    expect(logged.map((line) => line.requestId)).toEqual([answered]);
  });

  it('keeps a sane request id the client sent', async () => {
    const response = await post(`${ODOO_WEBHOOK_PATH}${TOKEN}x`, { 'x-request-id': 'portal-7f3a:01.2' });
    expect(response.headers.get('x-request-id')).toBe('portal-7f3a:01.2');
  });
});
