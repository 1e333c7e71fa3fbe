import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '../../src/routers';
import type { FaultWorld } from './fault-world';
import { liveClient, liveSocketClient, type Recording, record } from './live-client';
import { burstQuote } from './pipeline-broker';
import { READINESS, RequestLog } from './request-log';

/** The longest a client waits for an answer: anything slower counts as a hang. */
export const REQUEST_BOUND_MS = 15_000;
/** Pauses between the load's steps: a price every 25 ms, a write every 150 ms, a read and a probe every 200 ms. */
const PRICE_EVERY_MS = 25;
const WRITE_EVERY_MS = 150;
const READ_EVERY_MS = 200;
const PROBE_EVERY_MS = 200;
/** Between two tries of a publish or a write that failed. */
const RETRY_AFTER_MS = 200;
/** How long a stopping load keeps trying to get its last price and write acknowledged. */
const STOP_GRACE_MS = 30_000;

export interface AckedPrice {
  readonly asOf: string;
  /** When its first publish was tried, and when the broker acknowledged it. */
  readonly firstTry: number;
  readonly ackedAt: number;
}

export interface AckedWrite {
  readonly key: string;
  /** When the try that succeeded started, and when it was answered. */
  readonly triedAt: number;
  readonly ackedAt: number;
}

/** A live subscriber's recording and when each of its events arrived. */
export interface Subscriber {
  readonly name: string;
  readonly recording: Recording<PortfolioChangedEvent>;
  readonly arrivals: number[];
}

/**
 * The burst a fault test runs through its fault: prices published to the broker as the fetcher does
 * (each retried under its message id until the broker acknowledges it), ledger writes through the API
 * (each retried under its idempotency key until acknowledged), portfolio reads and readiness probes, and
 * two live subscribers of the investor's portfolio (SSE and WebSocket). Every request is bounded and
 * recorded.
 */
export class FaultLoad {
  readonly log = new RequestLog(REQUEST_BOUND_MS);
  readonly prices: AckedPrice[] = [];
  readonly writes: AckedWrite[] = [];
  readonly subscribers: Subscriber[];
  /** Idempotency keys of this load's writes start with this. */
  readonly keyPrefix = `fault-${randomBytes(4).toString('hex')}-`;
  private readonly t0 = Date.now();
  /** API clients signed in as each investor; their requests are recorded too. */
  readonly api: Readonly<Record<'investor' | 'probe', TRPCClient<AppRouter>>>;
  /** Whose ledger the writes go to: the investor's until `writeToProbe`. */
  private writer: 'investor' | 'probe' = 'investor';
  private readonly closeSocket: () => Promise<void>;
  private stopping = false;
  private stopDeadline = Number.POSITIVE_INFINITY;
  private readonly loops: Promise<void>[] = [];

  constructor(private readonly world: FaultWorld) {
    const { url } = world.server;
    const { token } = world.investor;
    const api = (token: string) =>
      createTRPCClient<AppRouter>({
        links: [
          httpLink({
            url: `${url}/trpc`,
            headers: { authorization: `Bearer ${token}` },
            fetch: this.log.fetch('api'),
          }),
        ],
      });
    this.api = { investor: api(token), probe: api(world.probe.token) };
    const sse = liveClient(url, token);
    const socket = liveSocketClient(url, token);
    this.closeSocket = socket.close;
    this.subscribers = [this.subscribe('SSE', sse), this.subscribe('WebSocket', socket.client)];
    this.loops.push(this.publishPrices(), this.writeLedger(), this.readPortfolio(), this.probeReadiness());
  }

  private subscribe(name: string, client: TRPCClient<AppRouter>): Subscriber {
    const arrivals: number[] = [];
    const recording = record<PortfolioChangedEvent>((handlers) =>
      client.portfolio.live.subscribe(
        {},
        {
          ...handlers,
          onData(value) {
            arrivals.push(Date.now());
            handlers.onData(value);
          },
        },
      ),
    );
    return { name, recording, arrivals };
  }

  /** Keeps trying `attempt` until it succeeds; false when the load stopped for good first. */
  private async untilDone(attempt: () => Promise<unknown>, onTry: () => void = () => {}): Promise<boolean> {
    for (;;) {
      onTry();
      try {
        await attempt();
        return true;
      } catch {
        if (Date.now() > this.stopDeadline) return false;
        await delay(RETRY_AFTER_MS);
      }
    }
  }

  private async publishPrices(): Promise<void> {
    const { instrumentId, currency } = this.world.investor;
    for (let i = 0; !this.stopping; i++) {
      const quote = burstQuote({ instrumentId, currency }, this.t0, i);
      const firstTry = Date.now();
      if (await this.untilDone(() => this.world.broker.publishQuote(quote))) {
        this.prices.push({ asOf: quote.asOf, firstTry, ackedAt: Date.now() });
      }
      await delay(PRICE_EVERY_MS);
    }
  }

  /** From now on the ledger writes go to the probe investor's ledger. */
  writeToProbe(): void {
    this.writer = 'probe';
  }

  private async writeLedger(): Promise<void> {
    for (let n = 0; !this.stopping; n++) {
      const key = `${this.keyPrefix}${n}`;
      const target = this.writer;
      const { accountId, instrumentId, currency } = this.world[target];
      const client = this.api[target];
      let triedAt = 0;
      // One share bought at 10 in the holding's currency.
      const write = () =>
        client.transactions.add.mutate({
          accountId,
          type: 'buy',
          instrumentId,
          tradeDate: '2026-01-05',
          quantity: '1',
          price: '10',
          currency,
          idempotencyKey: key,
        });
      const done = await this.untilDone(write, () => {
        triedAt = Date.now();
      });
      if (done) this.writes.push({ key, triedAt, ackedAt: Date.now() });
      await delay(WRITE_EVERY_MS);
    }
  }

  private async readPortfolio(): Promise<void> {
    while (!this.stopping) {
      await this.api.investor.portfolio.summary.query().catch(() => {});
      await delay(READ_EVERY_MS);
    }
  }

  private async probeReadiness(): Promise<void> {
    const probe = this.log.fetch(READINESS);
    while (!this.stopping) {
      await probe(`${this.world.server.url}/readyz`).catch(() => {});
      await delay(PROBE_EVERY_MS);
    }
  }

  /**
   * Stops publishing, writing, reading and probing; a price or write under way is tried until it is
   * acknowledged (for `graceMs` at most). The subscribers go on until `close`.
   */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    this.stopping = true;
    this.stopDeadline = Date.now() + graceMs;
    await Promise.all(this.loops);
  }

  /** Ends everything at once (after `stop`, or instead of it when a test fails). */
  async close(): Promise<void> {
    this.stopping = true;
    this.stopDeadline = 0;
    for (const s of this.subscribers) s.recording.unsubscribe();
    await this.closeSocket();
  }
}
