import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { executableSupergraph } from '../../gateway/authorization/executable-supergraph.ts';
import { PlanningGateway } from '../../gateway/execution/planning-gateway.ts';
import type { GatewayContext } from '../../gateway/context.ts';
import { governanceFromSettings, type GatewayEnvironment } from '../../gateway/environment.ts';
import { governancePlugins } from '../../gateway/pipeline.ts';
import { SubgraphDataSource } from '../../gateway/subgraph-data-source.ts';
import { attachSubscriptions } from '../../gateway/subscriptions/attach-subscriptions.ts';
import type { HubOptions } from '../../gateway/subscriptions/event-hub.ts';
import type { GatewayOperations } from '../../gateway/subscriptions/gateway-reads.ts';
import type { EventLog } from '../../platform/events/event-log.ts';
import { setting } from '../../platform/config.ts';
import { maskUnexpectedErrors } from '../../platform/graphql-errors.ts';
import { createLogger } from '../../platform/logger.ts';
import { supergraphPath } from '../../schema/catalog.ts';

export interface SubscribedGateway {
  /** The ws:// endpoint. */
  url: string;
  /** Every query the hub ran through the gateway, in order: resolutions, memberships, practitioners. */
  reads: string[];
  /** Their time in all, from asked to answered (ms): what resolving events costs before any commit. */
  readMs(): number;
  /** Reads asked for from now on are answered only on release: the hub's resolutions stay under way, then end together. */
  holdReads(): HeldReads;
  /** Subscriptions the gateway holds open now. */
  open(): number;
  /** The most bytes one connection's socket holds unsent now, on the gateway's side. */
  unsentBytes(): number;
  close(): Promise<void>;
}

export interface HeldReads {
  /** The queries held, in the order asked. */
  queries: string[];
  /** How many of them the gateway has answered; the answers wait for release. */
  answered(): number;
  release(): void;
}

export interface SubscribedGatewayOptions {
  /** Subgraph name -> GraphQL URL. */
  subgraphUrls: Record<string, string>;
  /** Who to trust, how to sign for subgraphs, where the audit trail goes. */
  environment: GatewayEnvironment;
  /** Where the hub reads. */
  eventLog: EventLog;
  hub?: HubOptions;
}

/**
 * A gateway serving subscriptions only, on running subgraphs, built as gateway/server.ts builds its
 * own (the same plan executor) but with hub options of its own (small limits make slow consumers quick to show), every
 * read the hub makes counted (and held when a test asks), and what its sockets hold unsent in view.
 */
export async function startSubscribedGateway({ subgraphUrls, environment, eventLog, hub }: SubscribedGatewayOptions): Promise<SubscribedGateway> {
  const logger = createLogger('gateway');
  const supergraphSdl = readFileSync(supergraphPath, 'utf8');
  // The executor the gateway runs (GATEWAY_EXECUTOR, as gateway/server.ts): the hub's reads cost what they cost there.
  const Gateway = setting('GATEWAY_EXECUTOR') === 'apollo' ? ApolloGateway : PlanningGateway;
  const gateway = new Gateway({
    supergraphSdl: executableSupergraph(supergraphSdl),
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        name,
        url: subgraphUrls[name] ?? url!,
        timeoutMs: 10_000,
        signInternalToken: environment.signInternalToken,
      }),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: maskUnexpectedErrors(logger),
    plugins: governancePlugins(supergraphSdl, governanceFromSettings(environment)),
  });
  await apollo.start();
  const reads: string[] = [];
  let readMs = 0;
  let held: { reads: HeldReads; released: Promise<void>; answered: number } | undefined;
  const counted: GatewayOperations = {
    async executeOperation(request, options) {
      reads.push(request.query);
      const askedAt = performance.now();
      const answer = apollo.executeOperation(request, options);
      void answer.finally(() => (readMs += performance.now() - askedAt)).catch(() => undefined);
      if (!held) return answer;
      const holding = held;
      holding.reads.queries.push(request.query);
      void answer.finally(() => holding.answered++);
      await holding.released;
      return answer;
    },
  };
  const httpServer = createServer((_request, response) => response.writeHead(404).end());
  const connections = new Set<Socket>();
  httpServer.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const subscriptions = await attachSubscriptions({
    httpServer,
    path: '/graphql',
    apollo: counted,
    supergraphSdl,
    eventLog,
    authenticate: environment.authenticate,
    logger,
    hub,
    audit: { sink: environment.audit },
  });
  return {
    url: `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`,
    reads,
    readMs: () => readMs,
    holdReads() {
      let release!: () => void;
      const holding: NonNullable<typeof held> = {
        released: new Promise((resolve) => (release = resolve)),
        answered: 0,
        reads: {
          queries: [],
          answered: () => holding.answered,
          release() {
            held = undefined;
            release();
          },
        },
      };
      held = holding;
      return holding.reads;
    },
    open: () => subscriptions.open,
    unsentBytes: () => Math.max(0, ...[...connections].map((socket) => socket.writableLength)),
    async close() {
      await subscriptions.close();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await apollo.stop();
    },
  };
}
