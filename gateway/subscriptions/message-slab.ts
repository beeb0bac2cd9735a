/** Room for a few hundred messages: Node's own pool (8 KiB) makes a new buffer every twenty. */
const SLAB_BYTES = 256 * 1024;

let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let used = 0;

/**
 * `parts` joined in one buffer, cut from a slab all messages share: a subscriber's message is its
 * envelope around a payload shared by its group, written once per subscriber and event, so one
 * allocation per message is what fan-out would spend its time on. A slab lives until the sockets
 * have written the last message cut from it.
 */
export function joined(parts: readonly Buffer[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  if (length > SLAB_BYTES / 4) return Buffer.concat(parts, length);
  if (used + length > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    used = 0;
  }
  const start = used;
  for (const part of parts) used += part.copy(slab, used);
  return slab.subarray(start, used);
}
