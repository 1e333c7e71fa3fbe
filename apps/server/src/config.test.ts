import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the embedded database with demo data', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '.data/pglite' });
    expect(config.demo).toEqual({ seed: 20261125, investors: 250 });
    expect(config.logLevel).toBe('info');
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db.example:5432/tickfolio',
      JWT_SECRET: 's'.repeat(32),
      DEMO_DATA: 'off',
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db.example:5432/tickfolio' });
    expect(config.demo).toBeNull();
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
});
