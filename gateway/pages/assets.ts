import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteHandler } from '../../platform/http/server.ts';
import { pageNotFound, sendPageContent } from './responses.ts';

export const ASSETS_PATH = '/pages/';

const require = createRequire(import.meta.url);
const clientDirectory = join(dirname(fileURLToPath(import.meta.url)), 'client');
/** react and react-dom export no path to their UMD builds: they sit beside the package's main file. */
const packageFile = (name: string, file: string) => join(dirname(require.resolve(name)), file);

const contentTypes: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * Every file a page may load, by name: GraphiQL and React 18 as their packages ship them (prebuilt
 * UMD bundles, pinned in package.json), and our own client files. Nothing else is served, so no
 * path a browser sends can reach another file.
 */
const files: Record<string, string> = {
  'react.js': packageFile('react', 'umd/react.production.min.js'),
  'react-dom.js': packageFile('react-dom', 'umd/react-dom.production.min.js'),
  'graphiql.js': require.resolve('graphiql/graphiql.min.js'),
  'graphiql.css': require.resolve('graphiql/graphiql.min.css'),
  'pages.css': join(clientDirectory, 'pages.css'),
  'graph.js': join(clientDirectory, 'graph.js'),
  'sign-in.js': join(clientDirectory, 'sign-in.js'),
  'explorer.js': join(clientDirectory, 'explorer.js'),
  'explorer-examples.js': join(clientDirectory, 'explorer-examples.js'),
  'console.js': join(clientDirectory, 'console.js'),
  'console-dom.js': join(clientDirectory, 'console-dom.js'),
  'console-panels.js': join(clientDirectory, 'console-panels.js'),
  'console-queries.js': join(clientDirectory, 'console-queries.js'),
};

/** Read once, on first request: the files do not change while the gateway runs. */
const loaded = new Map<string, Buffer>();

export const assetRoute: RouteHandler = async (request, response) => {
  const name = new URL(request.url ?? '/', 'http://localhost').pathname.slice(ASSETS_PATH.length);
  const file = Object.hasOwn(files, name) ? files[name] : undefined;
  if (!file || request.method !== 'GET') {
    pageNotFound(response);
    return;
  }
  if (!loaded.has(name)) loaded.set(name, readFileSync(file));
  sendPageContent(response, contentTypes[name.split('.').pop()!]!, loaded.get(name)!, 'no-cache');
};
