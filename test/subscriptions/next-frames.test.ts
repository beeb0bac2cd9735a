import { describe, expect, it } from 'vitest';
import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { textFrame } from '../../gateway/subscriptions/message-slab.ts';

/** ws's frame parser (untyped in @types/ws): a stream of frames in, `message` events out. */
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean; skipUTF8Validation: boolean }) => Writable };

/** What a WebSocket client reads from `bytes`: ws's own parser, as a browser's would. */
function received(bytes: Buffer): Promise<{ text: string; binary: boolean }[]> {
  const receiver = new Receiver({ isServer: false, skipUTF8Validation: false });
  const messages: { text: string; binary: boolean }[] = [];
  receiver.on('message', (data: Buffer, binary: boolean) => messages.push({ text: data.toString(), binary }));
  return new Promise((resolve, reject) => {
    receiver.on('error', reject);
    receiver.write(bytes, () => resolve(messages));
  });
}

describe('next frames written straight to the TCP socket', () => {
  // Each length's header (RFC 6455: the length in 7 bits, in 16, in 64), and one too large for the shared slab.
  it.each([
    [64, 2],
    [125, 2],
    [126, 4],
    [65_535, 4],
    [65_536, 10],
    [300_000, 10],
  ])('is one whole text frame a client reads as the joined parts (%i bytes, a %i-byte header)', async (length, header) => {
    const envelope = Buffer.from('{"id":"1","type":"next","payload":');
    // `{"data":{"note":"` and `"}}` around the note, `}` after the payload; é is two bytes.
    const payload = Buffer.from(JSON.stringify({ data: { note: 'é'.padEnd(length - envelope.length - 22, 'x') } }));
    const frame = textFrame([envelope, payload, Buffer.from('}')]);
    expect(frame.length).toBe(header + length);
    expect(await received(frame)).toEqual([{ text: `${envelope}${payload}}`, binary: false }]);
  });

  it('cuts frames written one after another apart, each whole, so several leave in one write', async () => {
    const frames = ['{"a":1}', '{"b":2}', '{"c":3}'].map((text) => textFrame([Buffer.from(text)]));
    expect((await received(Buffer.concat(frames))).map(({ text }) => text)).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });
});
