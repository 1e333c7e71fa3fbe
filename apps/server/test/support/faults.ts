import type { EngineName, FaultWorld } from './fault-world';

/** Something that goes wrong with an engine or its link for a while, then is put right. */
export interface Fault {
  /** e.g. postgres-kill: names the test's row in the results. */
  readonly id: string;
  /** What is done, for docs/reliability.md. */
  readonly description: string;
  inject(world: FaultWorld): Promise<void>;
  /** How long the fault lasts (the fault's own length, not a wait for anything). */
  readonly holdMs: number;
  /** Puts it right; resolves once the engine or link serves again. */
  heal(world: FaultWorld): Promise<void>;
}

export const ENGINE_LABEL: Record<EngineName, string> = {
  postgres: 'PostgreSQL',
  redis: 'Redis',
  nats: 'NATS',
};

/** Long enough for every client of the engine to meet it (pools, reconnect loops, pulls). */
const DOWN_MS = 5_000;
/**
 * Longer than the client's bound on a request (REQUEST_BOUND_MS): a server that waits on a silent
 * engine instead of giving up on it by its own deadline is caught hanging.
 */
const BLACKHOLE_MS = 17_000;

/** The engine's process and everything it started killed with SIGKILL, and started again on its data. */
export function killFault(engine: EngineName): Fault {
  return {
    id: `${engine}-kill`,
    description: `${ENGINE_LABEL[engine]} killed (SIGKILL) mid-burst, restarted ${DOWN_MS / 1000} s later`,
    inject: (world) => world.engines[engine].kill(),
    holdMs: DOWN_MS,
    heal: (world) => world.engines[engine].start(),
  };
}

/** Every connection between the server and the engine reset, and new ones refused (reset), for a while. */
export function resetFault(engine: EngineName): Fault {
  return {
    id: `${engine}-reset`,
    description: `server ↔ ${ENGINE_LABEL[engine]} link reset (every connection, and new ones for ${DOWN_MS / 1000} s)`,
    inject: async (world) => world.proxies[engine].setMode('reset'),
    holdMs: DOWN_MS,
    heal: async (world) => world.proxies[engine].setMode('pass'),
  };
}

/** The link goes silent: nothing arrives, nothing is closed, as when a network drops packets. */
export function blackholeFault(engine: EngineName): Fault {
  return {
    id: `${engine}-blackhole`,
    description: `server ↔ ${ENGINE_LABEL[engine]} link black-holed for ${BLACKHOLE_MS / 1000} s`,
    inject: async (world) => world.proxies[engine].setMode('blackhole'),
    holdMs: BLACKHOLE_MS,
    heal: async (world) => world.proxies[engine].setMode('pass'),
  };
}
