/**
 * TextEncoderStream as the WHATWG Encoding standard defines it, with whole-string operations. Node 20's
 * own rebuilds every chunk one character at a time (to carry a high surrogate over to the next chunk)
 * before encoding it; tRPC's SSE responses pass every event through a TextEncoderStream, and at ~2,000
 * events a second that loop was ~6 % of the server's CPU and most of its garbage.
 */
export class FastTextEncoderStream {
  readonly encoding = 'utf-8';
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<string>;

  constructor() {
    const encoder = new TextEncoder();
    /** A high surrogate that ended the previous chunk: its low half may start the next one. */
    let pendingHigh = '';
    const transform = new TransformStream<string, Uint8Array>({
      transform(chunk, controller) {
        // A pending high surrogate followed by a low one is one character; not followed by one, TextEncoder
        // turns it into U+FFFD, as it does every lone surrogate: the standard's encode-and-enqueue.
        let text = pendingHigh + String(chunk);
        pendingHigh = '';
        const last = text.charCodeAt(text.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          pendingHigh = text.slice(-1);
          text = text.slice(0, -1);
        }
        if (text) controller.enqueue(encoder.encode(text));
      },
      flush(controller) {
        if (pendingHigh) controller.enqueue(new Uint8Array([0xef, 0xbf, 0xbd]));
      },
    });
    this.readable = transform.readable;
    this.writable = transform.writable;
  }
}

/**
 * Makes FastTextEncoderStream the process's TextEncoderStream: tRPC constructs the global one. Same
 * output as the built-in (its test compares them), so it is installed whatever the Node version.
 */
export function useFastTextEncoderStream(): void {
  globalThis.TextEncoderStream = FastTextEncoderStream as unknown as typeof TextEncoderStream;
}
