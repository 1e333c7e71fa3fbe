import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the embedded database with demo data', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '.data/pglite' });
    expect(config.demo).toEqual({ seed: 20261125, investors: 250 });
    expect(config.logLevel).toBe('info');
  });

  it('serves /metrics on a loopback listener of its own: 9464, a free port beside a free API port, or off', () => {
    expect(loadConfig({}).metrics).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(loadConfig({ PORT: '0' }).metrics).toEqual({ host: '127.0.0.1', port: 0 });
    expect(loadConfig({ METRICS_HOST: '10.0.0.5', METRICS_PORT: '9100' }).metrics).toEqual({
      host: '10.0.0.5',
      port: 9100,
    });
    expect(loadConfig({ METRICS_PORT: 'off' }).metrics).toBeNull();
    expect(() => loadConfig({ METRICS_PORT: 'on' })).toThrow(ConfigError);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db.example:5432/tickfolio',
      JWT_SECRET: 's'.repeat(32),
      DEMO_DATA: 'off',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db.example:5432/tickfolio',
      timeouts: {
        connectTimeoutMs: 5_000,
        statementTimeoutMs: 10_000,
        queryTimeoutMs: 15_000,
        idleInTransactionTimeoutMs: 30_000,
        keepAliveInitialDelayMs: 10_000,
      },
    });
    expect(config.demo).toBeNull();
  });

  it('waits on PostgreSQL and Redis within limits, the client longer than the server', () => {
    const config = loadConfig({});
    expect(config.redisTimeouts).toEqual({
      connectMs: 2_000,
      commandMs: 1_000,
      keepAliveMs: 10_000,
      heartbeatMs: 2_000,
    });
    expect(config.rateLimits.storeTimeoutMs).toBe(250);
    expect(config.availability).toEqual({ readinessTimeoutMs: 2_000, retryAfterSeconds: 5 });
    expect(() =>
      loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '20000', DATABASE_QUERY_TIMEOUT_MS: '20000' }),
    ).toThrow(/DATABASE_QUERY_TIMEOUT_MS/);
    expect(() =>
      loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '0', DATABASE_QUERY_TIMEOUT_MS: '1000' }),
    ).not.toThrow();
  });

  it('keeps one copy of each stream on one broker unless told, and takes a cluster as a list of nodes', () => {
    expect(loadConfig({}).pipeline.streamReplicas).toBe(1);
    const clustered = loadConfig({
      NATS_URL: 'nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222',
      STREAM_REPLICAS: '3',
    });
    expect(clustered.pipeline.streamReplicas).toBe(3);
    expect(clustered.natsUrl).toBe('nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222');
    // JetStream keeps at most five copies.
    for (const STREAM_REPLICAS of ['0', '6', 'three']) {
      expect(() => loadConfig({ STREAM_REPLICAS })).toThrow(/STREAM_REPLICAS/);
    }
    expect(() => loadConfig({ NATS_URL: 'http://nats:4222' })).toThrow(/NATS_URL/);
  });

  it('requires a shared JWT secret once replicas share a database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@db.example:5432/tickfolio' })).toThrow(
      /JWT_SECRET/,
    );
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });

  it('names every bad variable in one ConfigError', () => {
    expect(() => loadConfig({ DATABASE_URL: 'not a url', DEMO_INVESTORS: '0', LOG_LEVEL: 'loud' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ DATABASE_URL: 'not a url', DEMO_INVESTORS: '0', LOG_LEVEL: 'loud' });
    } catch (error) {
      expect((error as Error).message).toMatch(/DATABASE_URL/);
      expect((error as Error).message).toMatch(/DEMO_INVESTORS/);
      expect((error as Error).message).toMatch(/LOG_LEVEL/);
    }
  });

  it('trusts no proxy by default; TRUST_PROXY takes a hop count or proxy addresses and ranges, never "anyone"', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(
      loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,::1,fd00::/8,loopback' }).http.trustProxy,
    ).toEqual(['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8', 'loopback']);
    for (const bad of ['true', 'proxy.example', '10.0.0.0/33', '10.0.0.1/8/1', '::1/129', ',']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });
});
