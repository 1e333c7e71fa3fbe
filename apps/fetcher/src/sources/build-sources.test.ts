import { describe, expect, it } from 'vitest';
import { buildSources } from './build-sources';

describe('buildSources', () => {
  it('registers only the configured sources, each with its own policy', () => {
    const { registry, policies } = buildSources({
      yahoo: { baseUrl: 'http://127.0.0.1:1' },
      alphavantage: { baseUrl: 'http://127.0.0.1:1', apiKey: 'k', policy: { retries: 0 } },
      frankfurter: { baseUrl: 'http://127.0.0.1:1' },
      simulated: { seed: 1, stepBasisPoints: 10 },
    });
    expect(registry.instrumentSources.map((s) => s.id)).toEqual(['yahoo', 'alphavantage', 'simulated']);
    expect(registry.fxSources.map((s) => s.id)).toEqual(['frankfurter', 'simulated']);
    expect([...policies.keys()]).toEqual(['yahoo', 'alphavantage', 'frankfurter']);
    expect(policies.get('yahoo')?.circuit).toBe('closed');
  });
});
