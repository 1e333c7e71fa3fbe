import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { delay } from '@nats-io/transport-node';
import { readConsumerStats, readDeadLetterDepth } from './broker-stats';
import type { BusLogger } from './bus-logger';
import { createNatsCatalogueRequests } from './catalogue-requests';
import { connectNats } from './connect-nats';
import { createJetStreamDeadLetters } from './jetstream-dead-letters';
import { createJetStreamNotifierSource } from './jetstream-notifier-source';
import { createJetStreamPortfolioLog } from './jetstream-portfolio-log';
import { createJetStreamPriceSource } from './jetstream-price-source';
import { createJetStreamPublisher } from './jetstream-publisher';
import { watchMaxDeliveries } from './max-deliveries-advisory';
import type { PipelineBus } from './ports';
import { createNatsSessionRevocations } from './session-revocations';
import type { StreamNames } from './stream-names';
import { ensureServerTopology, type ValuerConsumerSettings } from './topology';

interface JetStreamBusOptions {
  readonly url: string;
  readonly names: StreamNames;
  /** How many broker nodes keep a copy of each stream (StreamReplication). */
  readonly streamReplicas: number;
  readonly valuer: ValuerConsumerSettings;
  /** Messages the valuer's consume loop keeps buffered: also the most it values at once. */
  readonly valuerBatch: number;
  /** The notifier's batch interval: its consumer pulls at that pace (0 or unset: as events come). */
  readonly notifierPullEveryMs?: number;
  /**
   * Set in a process that reads PORTFOLIO only for a notifier (`pnpm start:notifier`): its follow pulls
   * at this pace too. Unset (a server), PORTFOLIO is followed as events come, for the live path.
   */
  readonly portfolioFollowEveryMs?: number;
  readonly log: BusLogger;
}

/**
 * Connects, sets the server's streams and consumer up (idempotent, to the bus's definitions) and
 * returns the pipeline's ports over JetStream.
 */
export async function connectJetStreamBus(options: JetStreamBusOptions): Promise<PipelineBus> {
  const { names, log } = options;
  const nc = await connectNats(options.url, 'tickfolio-server');
  try {
    const jsm = await jetstreamManager(nc);
    await ensureServerTopology(jsm, names, { replicas: options.streamReplicas, valuer: options.valuer });
    const js = jetstream(nc);
    const deadLetters = createJetStreamDeadLetters(js, jsm, names);
    const stopAdvisories = new AbortController();
    watchMaxDeliveries(nc, jsm, names, options.valuer.durableName, deadLetters, log, stopAdvisories.signal);
    return {
      kind: 'jetstream',
      prices: createJetStreamPriceSource(js, jsm, options),
      portfolio: createJetStreamPortfolioLog(
        js,
        jsm,
        names,
        { replicas: options.streamReplicas },
        randomUUID(),
        log,
        options.portfolioFollowEveryMs,
      ),
      deadLetters,
      notifierEvents: createJetStreamNotifierSource(
        js,
        jsm,
        names,
        { replicas: options.streamReplicas },
        log,
        options.notifierPullEveryMs ?? 0,
      ),
      publisher: createJetStreamPublisher(js, names),
      catalogue: createNatsCatalogueRequests(nc, js, names),
      sessions: createNatsSessionRevocations(nc, names),
      async ping() {
        await Promise.race([
          nc.rtt(),
          delay(2000).then(() => {
            throw new Error('NATS did not answer within 2 s');
          }),
        ]);
      },
      async stats() {
        const [valuer, deadLetterDepth] = await Promise.all([
          readConsumerStats(jsm, names, { stream: 'prices', consumer: options.valuer.durableName }),
          readDeadLetterDepth(jsm, names),
        ]);
        return { consumers: [valuer], deadLetters: deadLetterDepth };
      },
      async close() {
        stopAdvisories.abort();
        await nc.drain().catch(() => nc.close());
      },
    };
  } catch (error) {
    await nc.close();
    throw error;
  }
}
