import type { IncomingMessage } from 'node:http';
import type { RouteHandler } from '../../platform/http/server.ts';
import type { EmbeddedIssuer } from '../authentication/embedded-issuer.ts';
import { ASSETS_PATH, assetRoute } from './assets.ts';
import { pageHtml, type PageDefinition, type ShellSettings } from './page-shell.ts';
import { pageNotFound, redirect, sendPageContent } from './responses.ts';
import { SIGN_IN_PATH, signInRoute } from './sign-in.ts';

export interface PageSettings {
  /** GraphiQL at /explorer (EXPLORER: on in embedded mode, off elsewhere unless set). */
  explorer: boolean;
  /** Embedded mode only: the issuer a person signs in with by picking a role, instead of pasting a token. */
  signIn?: EmbeddedIssuer;
}

export const EXPLORER_PATH = '/explorer';
/** The operations console: its data comes through /graphql, under the operations role's rights. */
export const CONSOLE_PATH = '/ops';

const explorer: PageDefinition = {
  title: 'Healthcare graph explorer',
  styles: ['graphiql.css'],
  scripts: ['react.js', 'react-dom.js', 'graphiql.js'],
  module: 'explorer.js',
  role: 'front_desk',
};

const operationsConsole: PageDefinition = {
  title: 'Healthcare graph operations',
  styles: [],
  scripts: [],
  module: 'console.js',
  role: 'operations',
};

const page =
  (definition: PageDefinition, shell: ShellSettings): RouteHandler =>
  async (_request, response) =>
    sendPageContent(response, 'text/html; charset=utf-8', pageHtml(definition, shell));

/** The pages the gateway serves to browsers (the console always, the explorer when on), their assets and (embedded mode) the sign-in. */
export function pageRoutes(settings: PageSettings): Record<string, RouteHandler> {
  const shell: ShellSettings = {
    links: [...(settings.explorer ? [{ path: EXPLORER_PATH, label: 'Explorer' }] : []), { path: CONSOLE_PATH, label: 'Operations' }],
    embeddedSignIn: settings.signIn !== undefined,
  };
  return {
    [ASSETS_PATH]: assetRoute,
    [CONSOLE_PATH]: page(operationsConsole, shell),
    ...(settings.signIn && { [SIGN_IN_PATH]: signInRoute(settings.signIn) }),
    ...(settings.explorer && {
      // '/' is a prefix route to the HTTP service: only '/' itself leads to the explorer.
      '/': async (request, response) => (new URL(request.url ?? '/', 'http://localhost').pathname === '/' ? redirect(response, EXPLORER_PATH) : pageNotFound(response)),
      [EXPLORER_PATH]: page(explorer, shell),
    }),
  };
}

/** A browser that opens the endpoint itself (a GET asking for HTML, no operation) is sent to the explorer. */
export function browsersToExplorer(settings: PageSettings, graphql: RouteHandler): RouteHandler {
  if (!settings.explorer) return graphql;
  const isBrowserVisit = (request: IncomingMessage) =>
    request.method === 'GET' && (request.headers.accept ?? '').includes('text/html') && !new URL(request.url ?? '/', 'http://localhost').searchParams.has('query');
  return async (request, response, requestId, trace) => (isBrowserVisit(request) ? redirect(response, EXPLORER_PATH) : graphql(request, response, requestId, trace));
}
