import type { Context } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { WebSocket } from 'ws';
import type { Caller } from '../../platform/caller.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Authenticate } from '../authentication/authenticator.ts';

/** graphql-ws's Forbidden: what a refused connection_init gets, and a connection whose token ran out. */
export const FORBIDDEN = 4403;
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export interface ConnectionAuthentication {
  /** graphql-ws `onConnect`: `connectionParams.authorization` is verified as an Authorization header is. */
  admit(context: Context<Record<string, unknown> | undefined, Extra>): Promise<boolean>;
  callerOf(socket: WebSocket): Caller | undefined;
}

/**
 * Authentication at connection_init, with the gateway's own `authenticate`. A connection lives no
 * longer than its token: at the token's expiry the socket is closed with 4403, and the client
 * connects again with a fresh token and `after`.
 */
export function connectionAuthentication(authenticate: Authenticate): ConnectionAuthentication {
  const callers = new WeakMap<WebSocket, Caller>();
  return {
    async admit({ connectionParams, extra: { socket } }) {
      const authorization = connectionParams?.authorization;
      let caller: Caller | null;
      try {
        caller = await authenticate(typeof authorization === 'string' ? authorization : undefined);
      } catch (error) {
        // Only our own messages, which never repeat a claim, go into the close reason.
        socket.close(FORBIDDEN, error instanceof DomainError ? error.message : 'Authentication failed');
        return false;
      }
      if (!caller) {
        socket.close(FORBIDDEN, 'Subscriptions need a bearer token in connectionParams.authorization');
        return false;
      }
      callers.set(socket, caller);
      const expiry = setTimeout(
        () => socket.close(FORBIDDEN, 'The bearer token has expired: connect again with a fresh one and after'),
        Math.min(LONGEST_TIMER_MS, caller.expiresAt * 1000 - Date.now()),
      );
      socket.once('close', () => clearTimeout(expiry));
      return true;
    },
    callerOf: (socket) => callers.get(socket),
  };
}
