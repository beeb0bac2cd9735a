import type { Context } from 'graphql-ws';
import type { Caller } from '../../platform/caller.ts';

/** A caller as the quota counts it: the user or service account of one client, as its cost budget does. */
const callerKey = (caller: Caller) => `${caller.clientId}:${caller.subject}`;

/**
 * Every open connection of each caller on this gateway, so the subscriptions-per-caller quota holds across
 * all the sockets a caller opens, not per socket (3 sockets held 300). graphql-ws marks a subscription in
 * its connection's `subscriptions` before onSubscribe runs and removes it when it ends, and empties them
 * when the socket closes.
 */
export class CallerSubscriptions {
  private readonly connections = new Map<string, Set<Context>>();

  opened(caller: Caller, connection: Context): void {
    const key = callerKey(caller);
    const held = this.connections.get(key) ?? new Set<Context>();
    this.connections.set(key, held.add(connection));
  }

  closed(caller: Caller, connection: Context): void {
    const key = callerKey(caller);
    const held = this.connections.get(key);
    if (held?.delete(connection) && held.size === 0) this.connections.delete(key);
  }

  /** The caller's subscriptions on every connection, but the one `subscriptionId` of `asking` is for. */
  heldBy(caller: Caller, asking: Context, subscriptionId: string): number {
    let count = 0;
    for (const connection of this.connections.get(callerKey(caller)) ?? []) {
      count += Object.keys(connection.subscriptions).filter((id) => connection !== asking || id !== subscriptionId).length;
    }
    return count;
  }
}
