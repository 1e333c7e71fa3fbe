import { TextEncoderStream } from 'node:stream/web';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FastTextEncoderStream } from './fast-text-encoder-stream';

async function encodeAll(
  stream: { readable: ReadableStream<Uint8Array>; writable: WritableStream<string> },
  chunks: readonly string[],
): Promise<number[]> {
  const writer = stream.writable.getWriter();
  const reading = (async () => {
    const bytes: number[] = [];
    for await (const part of stream.readable) bytes.push(...part);
    return bytes;
  })();
  for (const chunk of chunks) await writer.write(chunk);
  await writer.close();
  return reading;
}

/** Strings rich in surrogates: pairs, lone halves, and both split across chunks. */
const piece = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('\ud83d', '\ude00', '\ud83d\ude00', 'é', '€', ''),
);
const chunks = fc.array(
  fc.array(piece, { maxLength: 4 }).map((p) => p.join('')),
  { maxLength: 8 },
);

describe('FastTextEncoderStream', () => {
  it('encodes exactly as the built-in TextEncoderStream, however the text is split into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(chunks, async (parts) => {
        // Node's own, not the global: a server another test file started in this worker replaced that.
        const expected = await encodeAll(new TextEncoderStream(), parts);
        expect(await encodeAll(new FastTextEncoderStream(), parts)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('joins a surrogate pair split across chunks, and ends a dangling high surrogate as U+FFFD', async () => {
    expect(await encodeAll(new FastTextEncoderStream(), ['a\ud83d', '\ude00b'])).toEqual([
      0x61, 0xf0, 0x9f, 0x98, 0x80, 0x62,
    ]);
    expect(await encodeAll(new FastTextEncoderStream(), ['x\ud83d'])).toEqual([0x78, 0xef, 0xbf, 0xbd]);
  });
});
