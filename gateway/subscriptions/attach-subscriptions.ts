import cluster from 'node:cluster';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AccessRecord } from '../../platform/audit/access-record.ts';
import type { Caller } from '../../platform/caller.ts';
import { ErrorCode, type QuotaReason } from '../../platform/errors.ts';
import type { EventLog } from '../../platform/events/event-log.ts';
import type { Logger } from '../../platform/logger.ts';
import { quotas } from '../../policies/quotas.ts';
import type { Authenticate } from '../authentication/authenticator.ts';
import { defaultOperationLimits, type OperationLimits } from '../limits/operation-limits.ts';
import { subscriptionsOpen } from '../../platform/observability/metrics.ts';
import { sampleOnScrape } from '../../platform/observability/metrics-route.ts';
import { NOT_IN_LIST_MESSAGE, registeredDocument, type Safelist } from '../safelist/manifest.ts';
import { CallerSubscriptions } from './caller-subscriptions.ts';
import { connectionAuthentication } from './connection-authentication.ts';
import { deliveryRecords } from './delivery-records.ts';
import { startEventHub, type HubOptions } from './event-hub.ts';
import { batchedEntityReads } from './entity-reads.ts';
import { eventResolver } from './event-resolution.ts';
import { readsThrough, type GatewayOperations } from './gateway-reads.ts';
import { subscriberSocket } from './subscriber-socket.ts';
import { subscriptionSchema } from './subscription-schema.ts';
import { readSubscriptionRequest, type SubscriptionRequest } from './subscription-request.ts';
import { workerSlot } from '../worker-pool.ts';

export interface SubscriptionSettings {
  /** The gateway's HTTP server: WebSocket upgrades to `path` are taken here. */
  httpServer: Server;
  path: string;
  /** The gateway's ApolloServer: every entity is read through it, as the subscriber. */
  apollo: GatewayOperations;
  supergraphSdl: string;
  eventLog: EventLog;
  authenticate: Authenticate;
  logger: Logger;
  /** The gateway's operation limits, applied to subscription documents too. */
  limits?: Partial<OperationLimits>;
  hub?: HubOptions;
  /** Subscriptions one caller may hold at once across its connections: each is a queue and a place in every event's fan-out. */
  maxSubscriptionsPerCaller?: number;
  /** Safelist mode: a client subscribes only with the operations registered for it, as over HTTP. */
  safelist?: Safelist;
  /** The audit trail: each subscriber's deliveries are on record there before they are sent. */
  audit?: { sink: (records: AccessRecord[]) => Promise<void> };
}

export interface RunningSubscriptions {
  /** Subscriptions open now: what the subscriptions_open metric samples. */
  readonly open: number;
  close(): Promise<void>;
}

/** Subscription documents are small: the token limit bounds them long before this. */
const MAX_MESSAGE_BYTES = 256 * 1024;

/** What onSubscribe hands to subscribe, through graphql-ws's execution arguments. */
interface Joining {
  request: SubscriptionRequest;
  caller: Caller;
  socket: WebSocket;
  subscriptionId: string;
}

/** 1012, Service Restart: clients reconnect (to another replica, or this one once back) and resume with `after`. */
export const SHUTTING_DOWN = { code: 1012, reason: 'The gateway is restarting: reconnect with after, the id of the last event received' };

/**
 * GraphQL subscriptions over WebSocket (graphql-ws protocol) on the gateway's own HTTP server. The
 * gateway owns them, since @apollo/gateway executes none: documents are checked as on HTTP, and
 * the event hub resolves each event through the gateway with the subscriber's identity.
 */
export async function attachSubscriptions(settings: SubscriptionSettings): Promise<RunningSubscriptions> {
  const { httpServer, path, eventLog, logger } = settings;
  const schema = subscriptionSchema(settings.supergraphSdl);
  const limits = { ...defaultOperationLimits, ...settings.limits };
  const maxSubscriptions = settings.maxSubscriptionsPerCaller ?? quotas.subscriptionsPerCaller;
  const held = new CallerSubscriptions();
  const records = settings.audit && deliveryRecords(schema, settings.audit.sink);
  // A resolution's answers leave only in deliveries, which write its reads' records with their own.
  const resolutionReads = batchedEntityReads(readsThrough(settings.apollo, logger, { holdRecords: Boolean(records) }));
  const hub = await startEventHub({
    eventLog,
    resolveEvent: eventResolver(schema, resolutionReads, logger),
    readEntity: batchedEntityReads(readsThrough(settings.apollo, logger)),
    logger,
    records,
    options: settings.hub,
  });
  const connections = connectionAuthentication(settings.authenticate);
  // Uncompressed: the hub writes `next` frames to the TCP socket itself (subscriber-socket.ts), which
  // holds only while ws writes every frame at once, as it does without compression.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  // Of several gateway workers (GATEWAY_WORKERS), which one holds this connection: for operators, and tests.
  if (cluster.isWorker) sockets.on('headers', (headers) => headers.push(`x-gateway-worker: ${workerSlot()}`));

  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) return void socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    sockets.handleUpgrade(request, socket, head, (webSocket) => sockets.emit('connection', webSocket, request));
  };
  httpServer.on('upgrade', upgrade);

  const server = useServer(
    {
      schema,
      // Internal errors close sockets with a bare reason, never an error message.
      isProd: true,
      onConnect: async (context) => {
        const admitted = await connections.admit(context);
        if (admitted) held.opened(connections.callerOf(context.extra.socket)!, context);
        return admitted;
      },
      onClose: (context) => {
        const caller = connections.callerOf(context.extra.socket);
        if (caller) held.closed(caller, context);
      },
      onSubscribe: (context, subscriptionId, payload) => {
        const caller = connections.callerOf(context.extra.socket)!;
        if (held.heldBy(caller, context, subscriptionId) >= maxSubscriptions) {
          const message = `A caller holds at most ${maxSubscriptions} subscriptions, over all its connections: complete one first`;
          return [new GraphQLError(message, { extensions: { code: ErrorCode.QUOTA_EXCEEDED, reason: 'SUBSCRIPTIONS_PER_CALLER' satisfies QuotaReason, limit: maxSubscriptions } })];
        }
        // Refused before parsing, so an unregistered document is never parsed or validated.
        const query = settings.safelist ? registeredDocument(settings.safelist, caller.clientId, payload) : payload.query;
        if (query === undefined) return [new GraphQLError(NOT_IN_LIST_MESSAGE, { extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_IN_LIST } })];
        const request = readSubscriptionRequest(schema, { ...payload, query }, limits);
        if (Array.isArray(request)) return request;
        const joining: Joining = { request, caller, socket: context.extra.socket, subscriptionId };
        return { schema, document: request.selection.document, contextValue: joining };
      },
      subscribe: ({ contextValue }) => {
        const { request, caller, socket, subscriptionId } = contextValue as Joining;
        return hub.join(request, caller, subscriberSocket(socket, subscriptionId));
      },
    },
    sockets,
  );
  const stopSampling = sampleOnScrape(async () => subscriptionsOpen.set(hub.open));
  logger.info({ path }, 'subscriptions ready');
  return {
    get open() {
      return hub.open;
    },
    async close() {
      stopSampling();
      httpServer.off('upgrade', upgrade);
      // Before graphql-ws's own 1001: a code and reason that tell clients to come back, from where they were.
      for (const socket of sockets.clients) socket.close(SHUTTING_DOWN.code, SHUTTING_DOWN.reason);
      await server.dispose();
      await hub.close();
    },
  };
}
