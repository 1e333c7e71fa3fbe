import pino from 'pino';
import { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, serveMetrics, withinDeadline } from './metrics-endpoint';
import { scrapeRead } from './scrape-reads';

describe('the metrics endpoint', () => {
  it("serves the registry's families, with the default process metrics, at /metrics only", async () => {
    const registry = createMetricsRegistry();
    new Counter({ name: 'tickfolio_test_total', help: 'a test counter', registers: [registry] }).inc(3);
    const endpoint = await serveMetrics(registry, { host: '127.0.0.1', port: 0 }, pino({ level: 'silent' }));
    try {
      const res = await fetch(endpoint.url);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toContain('tickfolio_test_total 3');
      expect(text).toContain('# TYPE process_cpu_seconds_total counter');
      expect((await fetch(endpoint.url.replace('/metrics', '/'))).status).toBe(404);
      expect((await fetch(endpoint.url, { method: 'POST' })).status).toBe(404);
    } finally {
      await endpoint.close();
    }
  });

  it('gives up on a scrape-time read that does not answer, and counts it', async () => {
    expect(await withinDeadline(20, () => new Promise(() => {}))).toBeUndefined();
    expect(await withinDeadline(1000, async () => 7)).toBe(7);
    expect(await withinDeadline(1000, async () => Promise.reject(new Error('down')))).toBeUndefined();

    const registry = createMetricsRegistry();
    const read = scrapeRead(registry, 'broken', async () => Promise.reject(new Error('down')));
    expect(await read()).toBeUndefined();
    expect(await registry.getSingleMetricAsString('tickfolio_metrics_collect_failures_total')).toContain(
      'tickfolio_metrics_collect_failures_total{collector="broken"} 1',
    );
  });
});
