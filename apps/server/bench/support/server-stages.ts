import { type Scrape, scrape } from '../../test/support/prometheus-text';

/** The stages the server itself times, as histogram families and their labels. */
const STAGES = [
  { label: 'stored (one batch of prices, one transaction)', family: 'tickfolio_price_store_seconds' },
  { label: 'valued (PRICES → stored, announced, acked)', family: 'tickfolio_valuation_latency_seconds' },
  {
    label: 'handed to a portfolio.live subscriber',
    family: 'tickfolio_live_tick_to_subscriber_seconds',
    labels: { procedure: 'portfolio.live' },
  },
] as const;
const BOUNDS = ['0.005', '0.01', '0.025', '0.05', '0.1'];

function counts(s: Scrape, family: string, labels: Record<string, string>) {
  return {
    total: s.value(`${family}_count`, labels),
    within: BOUNDS.map((le) => s.value(`${family}_bucket`, { ...labels, le })),
  };
}

/**
 * Where a tick's time goes inside the server, from its own histograms between two scrapes: the share of
 * the valuer's batches stored in the database within 5 to 100 ms (the part announcing before storing
 * would take off the path), the share of ticks valued within 5 to 100 ms of their arrival in PRICES, and the share handed to a
 * portfolio.live subscriber within the same bounds (before the socket write and the client's read). The
 * buckets are coarse; what they show is which stage the tail is in.
 */
export function serverStages(metricsUrl: string) {
  const read = () => scrape(metricsUrl);
  return {
    read,
    report(before: Scrape, after: Scrape): string[] {
      return STAGES.map((stage) => {
        const labels: Record<string, string> = 'labels' in stage ? { ...stage.labels } : {};
        const a = counts(after, stage.family, labels);
        const b = counts(before, stage.family, labels);
        const total = a.total - b.total;
        const shares = BOUNDS.map((le, i) => {
          const share = total > 0 ? ((a.within[i]! - b.within[i]!) / total) * 100 : 0;
          return `≤ ${Number(le) * 1000} ms ${share.toFixed(1)} %`;
        });
        return `server-side, ${stage.label}: ${total} observed; ${shares.join(', ')}`;
      });
    },
  };
}
