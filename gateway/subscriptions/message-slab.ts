/** Room for a few hundred messages: Node's own pool (8 KiB) makes a new buffer every twenty. */
const SLAB_BYTES = 256 * 1024;

/** FIN and the text opcode: one whole frame of JSON, as graphql-ws sends. */
const FINAL_TEXT = 0x81;

let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let used = 0;

/** A server's frame header (RFC 6455 §5.2: unmasked, the length in 7, 16 or 64 bits) for `length` bytes of payload. */
const headerLength = (length: number) => (length < 126 ? 2 : length < 65_536 ? 4 : 10);

function writeHeader(target: Buffer, at: number, length: number): number {
  target[at] = FINAL_TEXT;
  if (length < 126) {
    target[at + 1] = length;
    return at + 2;
  }
  if (length < 65_536) {
    target[at + 1] = 126;
    target.writeUInt16BE(length, at + 2);
    return at + 4;
  }
  target[at + 1] = 127;
  target.writeBigUInt64BE(BigInt(length), at + 2);
  return at + 10;
}

/**
 * A whole WebSocket text frame whose payload is `parts` joined, cut from a slab all messages share:
 * a subscriber's message is its envelope around a payload shared by its group, written once per
 * subscriber and event, so one allocation per message, and ws's framing of it (a header buffer and
 * two writes), are what fan-out would spend its time on. A slab lives until the sockets have
 * written the last frame cut from it.
 */
export function textFrame(parts: readonly Buffer[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const size = headerLength(length) + length;
  const large = size > SLAB_BYTES / 4;
  if (!large && used + size > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    used = 0;
  }
  const target = large ? Buffer.allocUnsafe(size) : slab;
  const start = large ? 0 : used;
  let at = writeHeader(target, start, length);
  for (const part of parts) at += part.copy(target, at);
  if (!large) used = at;
  return target.subarray(start, at);
}
