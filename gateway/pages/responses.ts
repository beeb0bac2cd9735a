import type { ServerResponse } from 'node:http';
import { ErrorCode } from '../../platform/errors.ts';
import { sendJson } from '../../platform/http/server.ts';

/**
 * Pages load nothing from anywhere but the gateway: no CDN, no inline script, no frame around them.
 * A page that needs more fails in the browser, loudly, instead of calling out.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // GraphiQL's style sheet carries its fonts and icons inline, as data: URLs: part of a file from here.
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A page or one of its assets, with the headers every page response carries. */
export function sendPageContent(response: ServerResponse, contentType: string, body: string | Buffer, cacheControl = 'no-store'): void {
  response.statusCode = 200;
  response.setHeader('content-type', contentType);
  response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'no-referrer');
  response.setHeader('cache-control', cacheControl);
  response.end(body);
}

export function redirect(response: ServerResponse, location: string): void {
  response.statusCode = 302;
  response.setHeader('location', location);
  response.end();
}

/** The answer to a path no page or asset has (the path is not repeated). */
export const pageNotFound = (response: ServerResponse) => sendJson(response, 404, { errors: [{ message: 'No such page', extensions: { code: ErrorCode.NOT_FOUND } }] });
