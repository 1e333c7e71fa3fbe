import type { Instrument } from '@tickfolio/core';
import type { Logger } from '@tickfolio/process';
import type { ScreenedPublisher } from '../refresh/screened-publisher';
import type { InstrumentSourceAdapter } from '../sources/source-adapter';

export interface SimulatedTickerDeps {
  readonly everyMs: number;
  /** Instruments moved per tick. */
  readonly perTick: number;
  readonly heldInstruments: () => Promise<readonly Instrument[]>;
  readonly source: InstrumentSourceAdapter;
  readonly publish: ScreenedPublisher;
  readonly log: Logger;
  readonly random?: () => number;
}

export interface SimulatedTicker {
  start(): void;
  stop(): Promise<void>;
}

/**
 * The embedded demo's heartbeat: every few hundred milliseconds a few random held instruments take a
 * step of their random walk, so portfolios visibly move. The next tick waits for the previous one.
 */
export function createSimulatedTicker(deps: SimulatedTickerDeps): SimulatedTicker {
  const random = deps.random ?? Math.random;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = true;
  const abort = new AbortController();

  async function tick(): Promise<void> {
    const held = await deps.heldInstruments();
    if (held.length === 0) return;
    const picked = new Map<string, Instrument>();
    for (let i = 0; i < deps.perTick * 2 && picked.size < Math.min(deps.perTick, held.length); i++) {
      const instrument = held[Math.floor(random() * held.length)]!;
      picked.set(instrument.id, instrument);
    }
    const requests = [...picked.values()].map((i) => ({
      instrumentId: i.id,
      symbol: i.symbol,
      currency: i.currency,
    }));
    const { quotes } = await deps.source.fetchQuotes(requests, abort.signal);
    const batch = await deps.publish.begin(
      'push',
      requests.map((r) => r.instrumentId),
    );
    for (const quote of quotes) {
      const instrumentId = quote.instrument.instrumentId ?? '';
      await batch.quote(quote, picked.get(instrumentId)?.assetClass);
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .catch((error: unknown) => deps.log.warn({ err: error }, 'simulated tick failed'))
        .finally(schedule);
    }, deps.everyMs);
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      abort.abort();
      await running;
    },
  };
}
