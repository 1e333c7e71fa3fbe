import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to no broker, no database, a ten-minute period and the live sources', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      natsUrl: null,
      databaseUrl: null,
      streamPrefix: '',
      refreshPeriodSeconds: 600,
      priceSources: 'live',
      simulatedTickMs: 0,
      webhookSecrets: {},
      http: { host: '127.0.0.1', port: 4100 },
    });
    expect(config.sources.alphaVantageApiKey).toBeNull();
  });

  it('reads webhook secrets as source=secret pairs', () => {
    const config = loadConfig({ WEBHOOK_SECRETS: 'acme=0123456789abcdef, other.feed=fedcba9876543210xx' });
    expect(config.webhookSecrets).toEqual({ acme: '0123456789abcdef', 'other.feed': 'fedcba9876543210xx' });
  });

  it.each([
    { WEBHOOK_SECRETS: 'acme' },
    { WEBHOOK_SECRETS: 'acme=short' },
    { REFRESH_PERIOD_SECONDS: '90' },
    { REFRESH_PERIOD_SECONDS: '30' },
    { STREAM_PREFIX: 'bad.prefix' },
    { PRICE_SOURCES: 'random' },
  ])('refuses %o', (env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
  });
});
