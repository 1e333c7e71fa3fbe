import type { PipelineBus } from '@tickfolio/bus';
import { type DatabaseHandle, openDatabase } from '@tickfolio/db';
import { ConfigError, type Logger } from '@tickfolio/process';
import { openPipelineBus } from '../bus/open-pipeline-bus';
import type { ServerConfig } from '../config';
import { createLiveHub } from '../live/live-hub';
import { createReplicaValuations } from '../valuer/replica-valuations';
import { ValuationState } from '../valuer/valuation-state';
import { composeNotifier } from './compose-notifier';
import type { Notifier } from './notifier';
import { raiseNiceness } from './process-niceness';

/**
 * Composition root of a notifier process (`pnpm start:notifier`): alert rules evaluated apart from the
 * servers (run those with NOTIFIER=off), as many replicas as wanted on the one durable consumer. It reads
 * the server's settings; it needs PostgreSQL and NATS (an embedded server evaluates its own rules), and
 * it does not migrate: a server does.
 */
export function createNotifierApp(config: ServerConfig, log: Logger) {
  let database: DatabaseHandle | undefined;
  let bus: PipelineBus | undefined;
  let relay: ReturnType<typeof createLiveHub> | undefined;
  let notifier: Notifier | undefined;

  async function stop(): Promise<void> {
    await notifier?.stop();
    relay?.stop();
    await bus?.close();
    await database?.close();
    notifier = relay = bus = database = undefined;
  }

  return {
    async start() {
      if (config.database.kind !== 'postgres' || !config.natsUrl) {
        throw new ConfigError('a notifier process needs DATABASE_URL and NATS_URL (the servers share them)');
      }
      // Notifications tolerate seconds of delay and live prices do not: on a machine shared with a
      // server, this process's evaluations wait for the server's work (NOTIFIER_NICE).
      const nice = raiseNiceness(config.notifications.nice);
      log.info({ nice }, 'notifier process nice value');
      try {
        database = await openDatabase(config.database);
        const db = database.db;
        // It evaluates in batches, so it reads PORTFOLIO in batches too: at 1,000 events a second,
        // taking each as it came cost it more than a tenth of a core (BENCHMARKS.md).
        bus = await openPipelineBus(config, log, 'batched');
        // Its own valuation index, kept current from PORTFOLIO like a server replica's.
        const state = new ValuationState();
        // It serves no cache reads, so another replica's ledger write needs no action here.
        const valuations = createReplicaValuations({
          db,
          state,
          origin: bus.portfolio.origin,
          log,
          ledgerChanged: () => {},
        });
        relay = createLiveHub(bus.portfolio, valuations, log);
        await relay.start();
        await state.load(db);
        const now = () => new Date();
        notifier = composeNotifier({ db, bus, state, valuations, hub: relay.hub, config, now, log });
        await notifier.start();
        return {};
      } catch (error) {
        await stop();
        throw error;
      }
    },
    stop,
  };
}
