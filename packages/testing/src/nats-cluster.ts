import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EngineProcess, engineProcess } from './engine-process';
import { freePort } from './free-port';

const NATS_SERVER = process.env.TEST_NATS_SERVER ?? '/usr/sbin/nats-server';
/** How long a monitoring request may take before the node counts as not ready (yet). */
const MONITOR_TIMEOUT_MS = 2000;

export interface NatsClusterNode extends EngineProcess {
  /** The node's server name: what JetStream's stream and consumer info call it (leader, replicas). */
  readonly name: string;
  /** Its client URL. */
  readonly url: string;
}

export interface NatsCluster {
  readonly nodes: readonly NatsClusterNode[];
  /** Every node's client URL, separated by commas: the cluster's NATS_URL. */
  readonly url: string;
  /** The node of this name (as stream info names a leader). */
  node(name: string): NatsClusterNode;
  /** Stops every node and removes their stores. */
  stop(): Promise<void>;
}

/** What a node's /jsz says of the JetStream meta group: the leader's name once one is elected. */
async function metaLeader(monitorPort: number): Promise<string | undefined> {
  const response = await fetch(`http://127.0.0.1:${monitorPort}/jsz`, {
    signal: AbortSignal.timeout(MONITOR_TIMEOUT_MS),
  });
  const jsz = (await response.json()) as { meta_cluster?: { leader?: string } };
  return jsz.meta_cluster?.leader || undefined;
}

/**
 * A JetStream cluster of the test's own: `size` nats-server processes on free loopback ports, routed to
 * each other, each with its own store in a temporary directory. A node is ready once it takes clients
 * and knows the JetStream meta leader (a cluster creates no stream before that), so all nodes are
 * started together: a lone node elects no leader. A killed node started again rejoins with its store.
 */
export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const clusterName = `t${randomBytes(4).toString('hex')}`;
  const root = await mkdtemp(join(tmpdir(), 'tickfolio-nats-cluster-'));
  const ports = await Promise.all(
    Array.from({ length: size }, async () => ({
      client: await freePort(),
      route: await freePort(),
      monitor: await freePort(),
    })),
  );
  const routes = ports.map((p) => `nats://127.0.0.1:${p.route}`).join(',');
  const nodes = await Promise.all(
    ports.map(async (port, i): Promise<NatsClusterNode> => {
      const name = `${clusterName}-n${i + 1}`;
      const store = join(root, name);
      await mkdir(store);
      const engine = engineProcess({
        name: `nats-server ${name} on port ${port.client}`,
        command: NATS_SERVER,
        // Each node lists every route, its own included (the server skips the route to itself).
        args: [
          '-js',
          '-sd',
          store,
          '-n',
          name,
          '-a',
          '127.0.0.1',
          '-p',
          String(port.client),
          '-m',
          String(port.monitor),
          '--cluster_name',
          clusterName,
          '--cluster',
          `nats://127.0.0.1:${port.route}`,
          '--routes',
          routes,
        ],
        ready: async () => (await metaLeader(port.monitor)) !== undefined,
        remove: () => rm(store, { recursive: true, force: true }),
      });
      return Object.assign(engine, { name, url: `nats://127.0.0.1:${port.client}` });
    }),
  );
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await rm(root, { recursive: true, force: true });
  };
  const started = await Promise.allSettled(nodes.map((node) => node.start()));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return {
    nodes,
    url: nodes.map((node) => node.url).join(','),
    node(name) {
      const found = nodes.find((node) => node.name === name);
      if (!found) throw new Error(`no node ${name} in the cluster`);
      return found;
    },
    stop,
  };
}
