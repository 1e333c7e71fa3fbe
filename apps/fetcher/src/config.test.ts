import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to no broker, no database, a ten-minute period and the live sources', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      natsUrl: null,
      databaseUrl: null,
      streamPrefix: '',
      streamReplicas: 1,
      refreshPeriodSeconds: 600,
      priceSources: 'live',
      simulatedTickMs: 0,
      webhookSecrets: {},
      http: { host: '127.0.0.1', port: 4100 },
    });
    expect(config.sources.alphaVantageApiKey).toBeNull();
  });

  it('serves /metrics on 9465 unless told, a free port beside a free webhook port, or not at all', () => {
    expect(loadConfig({}).metrics).toEqual({ host: '127.0.0.1', port: 9465 });
    expect(loadConfig({ PORT: '0' }).metrics).toEqual({ host: '127.0.0.1', port: 0 });
    expect(loadConfig({ METRICS_PORT: 'off' }).metrics).toBeNull();
  });

  it('reads webhook secrets as source=secret pairs', () => {
    const config = loadConfig({ WEBHOOK_SECRETS: 'acme=0123456789abcdef, other.feed=fedcba9876543210xx' });
    expect(config.webhookSecrets).toEqual({ acme: '0123456789abcdef', 'other.feed': 'fedcba9876543210xx' });
  });

  it('guards with plausible ranges and jump limits, per asset class where set', () => {
    expect(loadConfig({}).guard).toEqual({
      maxFutureSkewSeconds: 120,
      maxJumpPercent: 20,
      maxJumpPercentByClass: {},
      maxFxJumpPercent: 10,
      priceRange: { min: '0.0001', max: '100000000' },
      fxRange: { min: '0.000001', max: '1000000' },
      refreshConfirms: true,
    });
    const config = loadConfig({
      GUARD_MAX_JUMP_PERCENT_BY_CLASS: 'mutual_fund=10, etf=15',
      GUARD_PRICE_MIN: '0.01',
      GUARD_REFRESH_CONFIRMS: 'off',
    });
    expect(config.guard).toMatchObject({
      maxJumpPercentByClass: { mutual_fund: 10, etf: 15 },
      priceRange: { min: '0.01', max: '100000000' },
      refreshConfirms: false,
    });
  });

  it.each([
    { GUARD_MAX_JUMP_PERCENT_BY_CLASS: 'tulips=10' },
    { GUARD_MAX_JUMP_PERCENT_BY_CLASS: 'stock=0' },
    { GUARD_PRICE_MIN: '0' },
    { GUARD_PRICE_MIN: '0.000000001' },
    { GUARD_PRICE_MAX: '1e9' },
    { GUARD_FX_RATE_MIN: '5', GUARD_FX_RATE_MAX: '1' },
    { GUARD_REFRESH_CONFIRMS: 'yes' },
    { WEBHOOK_SECRETS: 'acme' },
    { WEBHOOK_SECRETS: 'acme=short' },
    { REFRESH_PERIOD_SECONDS: '90' },
    { REFRESH_PERIOD_SECONDS: '30' },
    { STREAM_PREFIX: 'bad.prefix' },
    { STREAM_REPLICAS: '0' },
    { STREAM_REPLICAS: '6' },
    { NATS_URL: 'nats://a:4222 nats://b:4222' },
    { PRICE_SOURCES: 'random' },
  ])('refuses %o', (env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
  });
});
