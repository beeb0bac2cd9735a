/**
 * Items added under one key during one turn of the event loop, sent together at the end of it
 * (setImmediate: after the I/O callbacks of the turn, so branches of a plan whose inputs arrived
 * in the same turn share a request). Each add resolves once its batch was sent and handled.
 */
export function turnBatches<K, T>(send: (key: K, items: T[]) => Promise<void>): (key: K, item: T) => Promise<void> {
  const open = new Map<K, { items: T[]; sent: Promise<void> }>();
  return (key, item) => {
    let batch = open.get(key);
    if (!batch) {
      const items: T[] = [];
      const sent = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        open.delete(key);
        return send(key, items);
      });
      batch = { items, sent };
      open.set(key, batch);
    }
    batch.items.push(item);
    return batch.sent;
  };
}
