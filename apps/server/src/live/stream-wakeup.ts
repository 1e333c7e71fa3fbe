/**
 * The wait-and-wake of a subscription generator: it sleeps until an event is queued, the stream fails
 * or the signal aborts. The first failure is kept and rethrown by the generator.
 */
export class StreamWakeup {
  failure: unknown = null;
  private wake: (() => void) | null = null;

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', this.notify);
  }

  readonly notify = (): void => {
    const w = this.wake;
    this.wake = null;
    w?.();
  };

  readonly fail = (error: unknown): void => {
    this.failure ??= error;
    this.notify();
  };

  wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  dispose(): void {
    this.signal.removeEventListener('abort', this.notify);
  }
}
