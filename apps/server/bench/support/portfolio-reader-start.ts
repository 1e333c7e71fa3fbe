import { runProcess } from '@tickfolio/process';
import { openPipelineBus } from '../../src/bus/open-pipeline-bus';
import { loadConfig } from '../../src/config';
import { raiseNiceness } from '../../src/notifier/process-niceness';

/**
 * What the reader reads (PORTFOLIO_READER_MODE, set by the bench from BENCH_READER_ONLY): `both` as a
 * notifier process reads; `consumer` the notifier's durable consumer alone, the least a notifier must
 * read; `idle` nothing, connected to the broker all the same (the phases' control).
 */
export type PortfolioReaderMode = 'both' | 'consumer' | 'idle';

function modeOf(value: string | undefined): PortfolioReaderMode {
  if (value === undefined || value === 'both' || value === 'consumer' || value === 'idle')
    return value ?? 'both';
  throw new Error(`PORTFOLIO_READER_MODE must be both, consumer or idle, not ${value}`);
}

/**
 * The baseline a notifier process is measured against in `pnpm bench:pipeline` (BENCH_READER_ONLY=1):
 * a process that reads PORTFOLIO exactly as a notifier process does — its relay's ordered consumer,
 * every event decoded, and the notifier's durable consumer, every event acknowledged in batches as the
 * notifier's, both pulled at the notifier's batch interval — at the same nice value, and evaluates
 * nothing. What a notifier costs the live path beyond this is its rules' cost; this much is the cost
 * of one more reader of the stream on the machine.
 */
void runProcess({
  name: 'tickfolio-portfolio-reader',
  loadConfig: () => loadConfig(),
  logLevel: (config) => config.logLevel,
  createApp(config, log) {
    const mode = modeOf(process.env.PORTFOLIO_READER_MODE);
    const stopping = new AbortController();
    let bus: Awaited<ReturnType<typeof openPipelineBus>> | undefined;
    let reading: Promise<void> | undefined;
    return {
      async start() {
        raiseNiceness(config.notifications.nice);
        bus = await openPipelineBus(config, log, 'batched');
        let events = 0;
        if (mode === 'both') {
          await bus.portfolio.follow(() => {
            events++;
          }, stopping.signal);
        }
        // Batches as the notifier takes them: at most one every NOTIFIER_BATCH_INTERVAL_MS, so the events
        // arriving meanwhile are acknowledged together, as the notifier acknowledges them.
        let lastBatchAt = 0;
        if (mode !== 'idle') {
          reading = bus.notifierEvents.run(async (batch) => {
            const wait = lastBatchAt + config.notifications.batchIntervalMs - performance.now();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            lastBatchAt = performance.now();
            for (const delivery of batch) delivery.ack();
          }, stopping.signal);
        }
        return { events: () => events };
      },
      async stop() {
        stopping.abort();
        await reading;
        await bus?.close();
      },
    };
  },
  announce: (_started, _config, log) => log.info('portfolio reader running'),
});
