/**
 * The open-loop load generator of `pnpm bench:api`, run as a process of its own so it shares no event
 * loop (and, on two cores, as little CPU as possible) with the server. It reads its plan as JSON from
 * the BENCH_PLAN environment variable, runs each phase in turn at a constant arrival rate (the plan's,
 * or the phase's own), and prints one JSON line with every phase's result.
 */
import { type OpenLoopResult, openCpuWindow, runOpenLoop, type ThreadShare } from '@tickfolio/testing';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { z } from 'zod';

/** What a phase may set for itself instead of the plan's. */
const phaseLoad = {
  ratePerSecond: z.number().positive().optional(),
  seconds: z.number().positive().optional(),
};

const phaseSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('http'),
    name: z.string(),
    /** Path and query of a GET; each request takes the next token in turn. */
    path: z.string(),
    /** This phase's callers instead of the plan's. */
    tokens: z.array(z.string()).min(1).optional(),
    ...phaseLoad,
  }),
  z.object({ kind: z.literal('redis-get'), name: z.string(), key: z.string(), ...phaseLoad }),
]);

const planSchema = z.object({
  url: z.url(),
  redisUrl: z.string(),
  tokens: z.array(z.string()).min(1),
  ratePerSecond: z.number().positive(),
  seconds: z.number().positive(),
  connections: z.number().int().positive(),
  /** The server's process id: its main thread's share of the CPUs is read beside each phase. */
  serverPid: z.number().int().positive().optional(),
  phases: z.array(phaseSchema),
});

const plan = planSchema.parse(JSON.parse(process.env.BENCH_PLAN ?? ''));
const pool = new Pool(plan.url, { connections: plan.connections, pipelining: 1 });
const redis = new Redis(plan.redisUrl);

/**
 * A phase's result, with the share of a core the generator process itself used meanwhile, and where the
 * machine allows, how the server's main thread shared the cores (ran, waited for one) and how busy the
 * machine was.
 */
export type PhaseResult = OpenLoopResult & {
  readonly generatorCpuShare: number;
  readonly serverThread?: ThreadShare;
  readonly machine?: { readonly busy: number; readonly steal: number };
};

const results: Record<string, PhaseResult> = {};
try {
  for (const phase of plan.phases) {
    const tokens = (phase.kind === 'http' && phase.tokens) || plan.tokens;
    const ratePerSecond = phase.ratePerSecond ?? plan.ratePerSecond;
    const send =
      phase.kind === 'http'
        ? async (i: number) => {
            const { statusCode, body } = await pool.request({
              method: 'GET',
              path: phase.path,
              headers: { authorization: `Bearer ${tokens[i % tokens.length]}` },
            });
            await body.dump();
            return statusCode === 200;
          }
        : async () => (await redis.get(phase.key)) !== null;
    // A second's warm-up at the rate (connections opened, code paths compiled), not measured.
    await runOpenLoop({ ratePerSecond, durationMs: 1000, send });
    const cores = openCpuWindow({ server: plan.serverPid });
    const cpuAtStart = process.cpuUsage();
    const startedAt = performance.now();
    const result = await runOpenLoop({
      ratePerSecond,
      durationMs: (phase.seconds ?? plan.seconds) * 1000,
      send,
    });
    const wallMs = performance.now() - startedAt;
    const cpu = process.cpuUsage(cpuAtStart);
    const { threads, machine } = cores.close();
    results[phase.name] = {
      ...result,
      generatorCpuShare: (cpu.user + cpu.system) / 1000 / wallMs,
      ...(threads.server && { serverThread: threads.server }),
      ...(machine && { machine }),
    };
  }
} finally {
  await pool.close();
  redis.disconnect();
}
process.stdout.write(`${JSON.stringify(results)}\n`);
