/**
 * The wait-and-wake of a subscription generator: it sleeps until an event is queued, the stream fails
 * or the signal aborts (or, pacing, until a frame's time has come). The first failure is kept and
 * rethrown by the generator.
 */
export class StreamWakeup {
  failure: unknown = null;
  private wake: (() => void) | null = null;
  /** Ends a pause early (failure or abort). */
  private interrupt: (() => void) | null = null;

  /** Signals whose abort fails the stream with their reason (see failWhen). */
  private readonly failingSignals: AbortSignal[] = [];

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', this.stop);
  }

  private readonly failFromSignal = (event: Event): void => {
    this.fail((event.target as AbortSignal).reason);
  };

  /**
   * Fails the stream with the signal's reason when it aborts (the subscriber's session ended), unlike
   * the constructor's signal, whose abort ends the stream quietly (the subscriber left).
   */
  failWhen(signal: AbortSignal): void {
    if (signal.aborted) {
      this.fail(signal.reason);
      return;
    }
    signal.addEventListener('abort', this.failFromSignal, { once: true });
    this.failingSignals.push(signal);
  }

  private readonly stop = (): void => {
    this.interrupt?.();
    this.notify();
  };

  readonly notify = (): void => {
    const w = this.wake;
    this.wake = null;
    w?.();
  };

  readonly fail = (error: unknown): void => {
    this.failure ??= error;
    this.stop();
  };

  wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  /** Waits `ms` (pacing frames): events queued meanwhile do not end it; a failure or the abort does. */
  pause(ms: number): Promise<void> {
    if (this.failure || this.signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interrupt = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
    });
  }

  dispose(): void {
    this.signal.removeEventListener('abort', this.stop);
    for (const signal of this.failingSignals) signal.removeEventListener('abort', this.failFromSignal);
  }
}
