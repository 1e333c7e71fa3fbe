import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadFetcherConfig } from '@tickfolio/fetcher';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig as loadServerConfig } from '../../src/config';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../..', import.meta.url));
const composeDir = join(root, 'ops/compose');
const NATS_SERVER = process.env.TEST_NATS_SERVER ?? '/usr/sbin/nats-server';

/** What an operator must set (compose refuses to start without them), as a test sets them. */
const REQUIRED = {
  POSTGRES_PASSWORD: 'compose-test-password',
  JWT_SECRET: 'j'.repeat(48),
  GRAFANA_ADMIN_PASSWORD: 'compose-test-grafana',
};

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  working_dir?: string;
  environment?: Record<string, string | number | boolean | null>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
}

/**
 * Compose's variable interpolation, as far as the file uses it: ${NAME}, ${NAME:-default} and
 * ${NAME:?message} (which fails when NAME is unset or empty, as compose does).
 */
function interpolate(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg = '') => {
    const value = vars[name];
    if (value !== undefined && value !== '') return value;
    if (op === '?') throw new Error(`required variable ${name} is unset: ${arg}`);
    return op === '-' ? arg : '';
  });
}

function loadCompose(vars: Readonly<Record<string, string>> = REQUIRED): {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
} {
  const text = readFileSync(join(composeDir, 'compose.yaml'), 'utf8');
  // Compose merges `<<:` keys (YAML 1.1 merge); so does this parse.
  return parse(interpolate(text, vars), { merge: true });
}

/** A service's environment as the process sees it: every value a string. */
function envOf(service: Service): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([key, value]) => [
      key,
      value == null ? '' : String(value),
    ]),
  );
}

const compose = loadCompose();
const services = compose.services;
const named = (prefix: string) => Object.keys(services).filter((name) => name.startsWith(prefix));
const servers = named('server-');
const fetchers = named('fetcher-');
const natsNodes = named('nats-');

describe('ops/compose/compose.yaml', () => {
  it('runs the deployment: three NATS nodes, PostgreSQL, Redis, two servers, two fetchers, Prometheus, Grafana', () => {
    expect(natsNodes).toEqual(['nats-1', 'nats-2', 'nats-3']);
    expect(servers).toEqual(['server-1', 'server-2']);
    expect(fetchers).toEqual(['fetcher-1', 'fetcher-2']);
    for (const name of ['postgres', 'redis', 'prometheus', 'grafana']) expect(services[name]).toBeDefined();
  });

  it('refuses to start without the secrets an operator must choose', () => {
    for (const name of Object.keys(REQUIRED)) {
      expect(() => loadCompose({ ...REQUIRED, [name]: '' })).toThrow(name);
    }
  });

  it('gives every server an environment the server’s config schema accepts, on the cluster', () => {
    for (const name of servers) {
      const config = loadServerConfig(envOf(services[name]!));
      expect(config.database.kind).toBe('postgres');
      expect(config.redisUrl).toBe('redis://redis:6379');
      expect(config.natsUrl).toBe('nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222');
      expect(config.pipeline.streamReplicas).toBe(3);
      expect(config.auth.jwtSecret).toBe(REQUIRED.JWT_SECRET);
      expect(config.http.host).toBe('0.0.0.0');
      expect(config.demo).toBeNull();
    }
  });

  it('gives every fetcher an environment the fetcher’s config schema accepts, on the same cluster', () => {
    const serverEnv = envOf(services[servers[0]!]!);
    for (const name of fetchers) {
      const env = envOf(services[name]!);
      const config = loadFetcherConfig(env);
      expect(config.natsUrl).toBe(serverEnv.NATS_URL);
      expect(config.databaseUrl).toBe(serverEnv.DATABASE_URL);
      expect(config.streamReplicas).toBe(3);
      expect(config.priceSources).toBe('live');
      expect(config.http.host).toBe('0.0.0.0');
      // Every replica the same period, stream prefix and replica count (see docs/scaling.md).
      expect(env.REFRESH_PERIOD_SECONDS).toBe(envOf(services[fetchers[0]!]!).REFRESH_PERIOD_SECONDS);
      expect(env.STREAM_PREFIX).toBe(serverEnv.STREAM_PREFIX);
      expect(env.STREAM_REPLICAS).toBe(serverEnv.STREAM_REPLICAS);
    }
    // A provider's webhook secret, when the operator sets one, reaches the fetchers.
    const pushed = loadCompose({ ...REQUIRED, WEBHOOK_SECRETS: 'acme=0123456789abcdef0123' }).services;
    expect(loadFetcherConfig(envOf(pushed[fetchers[0]!]!)).webhookSecrets).toEqual({
      acme: '0123456789abcdef0123',
    });
  });

  it('points the processes at engines that are services of the file, on their ports', () => {
    const hostsOf = (url: string) => url.split(',').map((u) => new URL(u).host);
    const env = envOf(services[servers[0]!]!);
    expect(hostsOf(env.NATS_URL!)).toEqual(natsNodes.map((n) => `${n}:4222`));
    expect(new URL(env.DATABASE_URL!).host).toBe('postgres:5432');
    expect(new URL(env.DATABASE_URL!).password).toBe(REQUIRED.POSTGRES_PASSWORD);
    expect(envOf(services.postgres!).POSTGRES_PASSWORD).toBe(REQUIRED.POSTGRES_PASSWORD);
    expect(new URL(env.REDIS_URL!).host).toBe('redis:6379');
    // As many stream copies as the cluster has nodes, at most.
    expect(Number(env.STREAM_REPLICAS)).toBeLessThanOrEqual(natsNodes.length);
    for (const name of [...servers, ...fetchers]) {
      const dependsOn = services[name]!.depends_on as Record<string, { condition: string }>;
      for (const engine of ['postgres', ...natsNodes]) {
        expect(dependsOn[engine]?.condition).toBe('service_healthy');
      }
    }
  });

  it('publishes each port once, and each to the port its process listens on', () => {
    const published = Object.entries(services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => {
        const [host, container] = p.split(':');
        return { name, host: Number(host), container: Number(container) };
      }),
    );
    expect(new Set(published.map((p) => p.host)).size).toBe(published.length);
    for (const p of published) {
      const env = envOf(services[p.name]!);
      if (env.PORT !== undefined) expect(p.container).toBe(Number(env.PORT));
    }
    expect(published.filter((p) => servers.includes(p.name))).toHaveLength(servers.length);
    expect(published.filter((p) => fetchers.includes(p.name))).toHaveLength(fetchers.length);
  });

  it('mounts files that exist, volumes it declares, and builds from a Dockerfile that exists', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const [source] = volume.split(':');
        if (source!.startsWith('.')) {
          expect(existsSync(resolve(composeDir, source!)), `${name} mounts ${source}`).toBe(true);
        } else {
          expect(compose.volumes, `${name} uses volume ${source}`).toHaveProperty(source!);
        }
      }
      if (service.build) {
        const context = resolve(composeDir, service.build.context);
        expect(context).toBe(resolve(root));
        expect(existsSync(join(context, service.build.dockerfile))).toBe(true);
      }
      // The entry a process runs is in the image: /app is the repository's root.
      if (service.working_dir?.startsWith('/app/')) {
        const appDir = join(root, service.working_dir.slice('/app/'.length));
        expect(existsSync(join(appDir, service.command!.at(-1)!))).toBe(true);
      }
    }
    // Grafana finds its provisioning and the dashboards where the mount of ops/grafana puts them.
    const grafana = services.grafana!;
    const [source, target] = grafana.volumes!.find((v) => v.startsWith('../grafana:'))!.split(':');
    const provisioning = envOf(grafana).GF_PATHS_PROVISIONING!;
    expect(provisioning.startsWith(`${target}/`)).toBe(true);
    const provisioned = resolve(composeDir, source!, provisioning.slice(target!.length + 1));
    const providers = parse(readFileSync(join(provisioned, 'dashboards/tickfolio.yml'), 'utf8')) as {
      providers: { options: { path: string } }[];
    };
    for (const provider of providers.providers) {
      expect(provider.options.path.startsWith(`${target}/`)).toBe(true);
      const dashboards = resolve(composeDir, source!, provider.options.path.slice(target!.length + 1));
      expect(readdirSync(dashboards).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
    }
  });

  it('configures one NATS cluster whose routes are its three nodes, each named as its service', async () => {
    const confPath = join(composeDir, 'nats/nats.conf');
    const conf = readFileSync(confPath, 'utf8');
    const routes = [...conf.matchAll(/nats:\/\/([a-z0-9-]+):6222/g)].map((m) => m[1]);
    expect(routes).toEqual(natsNodes);
    for (const name of natsNodes) {
      const service = services[name]!;
      expect(envOf(service).NATS_SERVER_NAME).toBe(name);
      expect(service.volumes).toContain('./nats/nats.conf:/etc/nats/nats.conf:ro');
      expect(service.volumes).toContain(`${name}-data:/data`);
      // The file as each node reads it, checked by nats-server itself.
      const { stdout, stderr } = await run(NATS_SERVER, ['-c', confPath, '-t'], {
        env: { ...process.env, NATS_SERVER_NAME: name },
      });
      expect(`${stdout}${stderr}`).toMatch(/is valid/);
    }
    // The production minimum (docs/scaling.md): 2.10 or later.
    const version = /^nats:(\d+)\.(\d+)/.exec(services[natsNodes[0]!]!.image ?? '');
    expect(Number(version?.[1]) * 100 + Number(version?.[2])).toBeGreaterThanOrEqual(210);
  });
});
