import { isBrokenCircuitError } from 'cockatiel';
import type DataLoader from 'dataloader';
import { CircuitBreaker, type BreakerOptions, type BreakerState } from '../../../platform/circuit-breaker.ts';
import { createLogger } from '../../../platform/logger.ts';
import { odooCallDuration, odooCallErrors } from '../../../platform/observability/metrics.ts';
import { inSpan, SpanKind } from '../../../platform/observability/tracing.ts';
import { missingRecords, OdooConfigurationError, OdooTransientError, OdooUnavailableError } from './errors.ts';
import { Json2Transport } from './json-2.ts';
import { JsonRpcTransport } from './json-rpc.ts';
import { onceSucceeded } from './once.ts';
import { createReader } from './reader.ts';
import { defaultRetryPolicy, withRetries, type RetryPolicy } from './retry.ts';
import { transportFor, type OdooConnection, type OdooTransport, type TransportName } from './transport.ts';
import type { OdooCall, OdooContext, OdooDomain, OdooRecord, OdooValues, OdooVersion } from './types.ts';
import { fetchVersion } from './version.ts';

export interface OdooClientOptions extends OdooConnection {
  /** 'auto' asks the server's version: JSON-2 from Odoo 19, JSON-RPC before. */
  transport?: TransportName | 'auto';
  /** Per HTTP request. */
  timeoutMs?: number;
  retries?: Partial<RetryPolicy>;
  breaker?: Partial<BreakerOptions>;
}

export interface SearchReadOptions {
  fields?: string[];
  limit?: number;
  offset?: number;
  /** Odoo's order clause, e.g. "invoice_date desc, id". */
  order?: string;
  context?: OdooContext;
}

/** Methods that change nothing, so repeating one is safe even when an attempt may have reached Odoo. */
const READ_ONLY = new Set(['read', 'search', 'search_read', 'search_count', 'fields_get', 'name_search', 'version_info']);

const defaultBreakerOptions: BreakerOptions = { threshold: 5, coolDownMs: 30_000 };

/** Only an outage trips the breaker: a serialization failure (it has an Odoo name) is Odoo up and busy. */
const isOutage = (error: unknown) => error instanceof OdooTransientError && error.odooName === undefined;

const isRetryable = (error: unknown, method: string) =>
  error instanceof OdooTransientError && (!error.outcomeUnknown || READ_ONLY.has(method));

/** Odoo's external API (versions 16 to 19) with timeouts, retries, a circuit breaker and batched reads. */
export class OdooClient {
  private readonly log = createLogger('odoo-finance');
  private readonly timeoutMs: number;
  private readonly retryPolicy: RetryPolicy;
  private readonly breaker: CircuitBreaker;

  constructor(private readonly options: OdooClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retryPolicy = { ...defaultRetryPolicy, ...options.retries };
    this.breaker = new CircuitBreaker({ ...defaultBreakerOptions, ...options.breaker });
    this.breaker.onStateChange((state) => this.log.warn({ circuit: state }, 'Odoo circuit breaker changed state'));
  }

  get circuitState(): BreakerState {
    return this.breaker.state;
  }

  readonly version = onceSucceeded(async (): Promise<OdooVersion> => {
    const version = await this.guarded('version_info', () => fetchVersion(this.options.url, this.timeoutMs));
    if (version.major < 16) throw new OdooConfigurationError(`Odoo ${version.serverVersion} is not supported (16 to 19 are)`);
    return version;
  });

  searchRead(model: string, domain: OdooDomain, { context, ...params }: SearchReadOptions = {}): Promise<OdooRecord[]> {
    return this.execute({ model, method: 'search_read', params: { domain, ...params }, context });
  }

  /** Records in the order of `ids`; any id that does not exist fails the whole read with OdooMissingError. */
  async read(model: string, ids: number[], fields: string[], context?: OdooContext): Promise<OdooRecord[]> {
    const records = await this.readExisting(model, ids, fields, context);
    const found = new Set(records.map((record) => record.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw missingRecords(model, missing);
    return records;
  }

  /** One `read` per tick for all ids loaded through it; make one per request. */
  reader(model: string, fields: string[], context?: OdooContext): DataLoader<number, OdooRecord> {
    return createReader(model, (ids) => this.readExisting(model, ids, fields, context));
  }

  create(model: string, values: OdooValues, context?: OdooContext): Promise<number>;
  create(model: string, values: OdooValues[], context?: OdooContext): Promise<number[]>;
  async create(model: string, values: OdooValues | OdooValues[], context?: OdooContext): Promise<number | number[]> {
    const created = await this.execute<number | number[]>({ model, method: 'create', params: { vals_list: values }, context });
    // JSON-RPC answers one id for one dict; JSON-2 always answers the list of ids.
    if (Array.isArray(values)) return Array.isArray(created) ? created : [created];
    return Array.isArray(created) ? (created[0] as number) : created;
  }

  write(model: string, ids: number[], values: OdooValues, context?: OdooContext): Promise<boolean> {
    return this.execute({ model, method: 'write', ids, params: { vals: values }, context });
  }

  /** Any public model method, with named arguments: `call('account.move', 'action_post', { ids })`. */
  call<T = unknown>(model: string, method: string, { ids, params, context }: Omit<OdooCall, 'model' | 'method'> = {}): Promise<T> {
    return this.execute({ model, method, ids, params, context });
  }

  /** Odoo's `read` leaves out ids that do not exist rather than failing. */
  private readExisting(model: string, ids: number[], fields: string[], context?: OdooContext): Promise<OdooRecord[]> {
    return this.execute({ model, method: 'read', ids, params: { fields }, context });
  }

  /** The next call goes through even while the circuit is open, as its probe: an operator asked to try now. */
  probeNow(): void {
    this.breaker.probeNow();
  }

  /** Resolves when Odoo answers a read now (through the breaker: an open circuit fails at once). */
  async ping(): Promise<void> {
    await this.searchRead('res.partner', [], { fields: ['id'], limit: 1 });
  }

  /**
   * Checks the settings against the Odoo they name: a supported version that speaks the transport.
   * Throws OdooConfigurationError when they cannot work; an unreachable Odoo throws its transient error.
   */
  async verify(): Promise<void> {
    await this.transport();
  }

  private readonly transport = onceSucceeded(async (): Promise<OdooTransport> => {
    const { serverVersion, major } = await this.version();
    const name = this.options.transport === undefined || this.options.transport === 'auto' ? transportFor(major) : this.options.transport;
    if (name === 'json-2' && major < 19) {
      throw new OdooConfigurationError(`Odoo ${serverVersion} has no JSON-2 API (it came with Odoo 19): set ODOO_TRANSPORT to json-rpc or auto`);
    }
    return name === 'json-2' ? new Json2Transport(this.options, this.timeoutMs) : new JsonRpcTransport(this.options, this.timeoutMs);
  });

  private async execute<T>(call: OdooCall): Promise<T> {
    const transport = await this.transport();
    return (await this.guarded(call.method, () => transport.execute(call), call.model)) as T;
  }

  private async guarded<T>(method: string, attempt: () => Promise<T>, model?: string): Promise<T> {
    const timed = odooCallDuration.startTimer({ method });
    try {
      const attributes = { 'healthgraph.service': 'odoo', 'rpc.method': method, ...(model && { 'odoo.model': model }) };
      return await inSpan(model ? `${model} ${method}` : method, { kind: SpanKind.CLIENT, attributes }, () => this.retried(method, attempt, model));
    } catch (error) {
      odooCallErrors.inc({ method, error: (error as Error).name });
      throw error;
    } finally {
      timed();
    }
  }

  private retried<T>(method: string, attempt: () => Promise<T>, model?: string): Promise<T> {
    return withRetries(
      () => this.throughBreaker(attempt),
      this.retryPolicy,
      (error) => isRetryable(error, method),
      (retry, delayMs, error) =>
        this.log.warn({ model, method, retry, delayMs: Math.round(delayMs), error: (error as Error).name }, 'retrying Odoo call'),
    );
  }

  /** While the circuit is open Odoo is not called: the caller learns when the next attempt will be. */
  private async throughBreaker<T>(attempt: () => Promise<T>): Promise<T> {
    try {
      return await this.breaker.run(attempt, isOutage);
    } catch (error) {
      if (isBrokenCircuitError(error)) throw new OdooUnavailableError(this.breaker.retryAfterMs);
      throw error;
    }
  }
}
