/**
 * `pnpm bench:api`: portfolio.summary latency at a fixed 1,000 requests/s over real HTTP, against the
 * whole server on the machine's PostgreSQL and Redis (target: p99 ≤ 5 ms). The load generator
 * (autocannon) runs in a worker thread so it does not share the server's event loop.
 */
import os from 'node:os';
import { DEMO_PASSWORD, investorEmail } from '@tickfolio/db/demo';
import autocannon from 'autocannon';
import { startTestServer } from '../test/support/test-server';

const INVESTORS = Number(process.env.BENCH_INVESTORS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const USERS = 50;

const server = await startTestServer({
  DEMO_SEED: '20261125',
  DEMO_INVESTORS: String(INVESTORS),
  RATE_LIMIT_IP_PER_MINUTE: '10000000',
  RATE_LIMIT_USER_PER_MINUTE: '10000000',
  RATE_LIMIT_LOGIN_PER_15_MINUTES: '100000',
});
try {
  const tokens: string[] = [];
  for (let n = 1; n <= USERS; n++) tokens.push((await server.login(investorEmail(n), DEMO_PASSWORD)).token);
  // Warm the cache the way a day of use would: every benchmarked portfolio read once.
  for (const t of tokens) await server.client(t).portfolio.summary.query({});

  const path = `/trpc/portfolio.summary?input=${encodeURIComponent(JSON.stringify({}))}`;
  const result = await autocannon({
    url: server.url,
    connections: 50,
    overallRate: RATE,
    duration: SECONDS,
    workers: 1,
    // Each connection cycles through the users (plain objects: the worker thread cannot take functions).
    requests: tokens.map((t) => ({ method: 'GET', path, headers: { authorization: `Bearer ${t}` } })),
  } as autocannon.Options);

  const l = result.latency;
  const row = (name: string, value: string, target = '', verdict = '') =>
    `| ${name} | ${value} | ${target} | ${verdict} |`;
  console.log(
    `machine: ${os.cpus()[0]?.model} (${os.cpus().length} logical CPUs), ${os.platform()} ${os.release()}, node ${process.version}`,
  );
  console.log(
    `data: ${INVESTORS} demo investors; ${USERS} signed-in investors; ${RATE} req/s for ${SECONDS} s, 50 connections`,
  );
  console.log('| measure | result | target | |');
  console.log('|---|---|---|---|');
  console.log(row('requests/s achieved (mean)', result.requests.average.toFixed(0)));
  console.log(row('latency p50', `${l.p50} ms`));
  console.log(row('latency p99', `${l.p99} ms`, '≤ 5 ms', l.p99 <= 5 ? 'pass' : 'miss'));
  console.log(row('latency max', `${l.max} ms`));
  console.log(row('non-2xx / errors / timeouts', `${result.non2xx} / ${result.errors} / ${result.timeouts}`));
} finally {
  await server.stop();
}
