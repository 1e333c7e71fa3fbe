import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Where the fault and hostile-input tests append what they measured, one JSON row a line, and where
 * `pnpm reliability:report` reads it to write docs/reliability.md's tables: every row there comes from
 * a test run. RELIABILITY_RESULTS names another file (read here only: tests have no config module).
 */
export const RELIABILITY_RESULTS =
  process.env.RELIABILITY_RESULTS ?? join(tmpdir(), 'tickfolio-reliability.jsonl');

/** Requests the load made while a fault was on and after it, by how they were answered. */
export interface RequestCounts {
  readonly total: number;
  readonly ok: number;
  /** API requests answered 503 SERVICE_UNAVAILABLE: "try again shortly", what a failing engine deserves. */
  readonly unavailable: number;
  /** Of those 503s, how many said when to try again (Retry-After). */
  readonly unavailableWithRetryAfter: number;
  /** Readiness probes answered 503: the server said it was not ready. */
  readonly notReady: number;
  /** Any other status (a 500, a 4xx the request did not deserve), by status. */
  readonly other: Readonly<Record<string, number>>;
  /** No answer within the client's bound: a hang. */
  readonly hung: number;
  /** The hung requests by what they were (a procedure, a probe), to tell where a hang came from. */
  readonly hungBy?: Readonly<Record<string, number>>;
  /** The connection failed (refused, reset): the server was not there to answer. */
  readonly failed: number;
  /** The slowest answer, in ms. */
  readonly slowestMs: number;
}

/** One fault test: what it did to an engine and what came of it. */
export interface FaultRow {
  readonly kind: 'fault';
  /** e.g. postgres-kill. */
  readonly id: string;
  /** What was done, for the table. */
  readonly fault: string;
  readonly pricesAcknowledged: number;
  /** Acknowledged by the broker but never stored (or dead-lettered). */
  readonly pricesLost: number;
  /** Stored or announced more than once. */
  readonly pricesDoubled: number;
  readonly writesAcknowledged: number;
  /** Acknowledged to the client but not in the ledger. */
  readonly writesLost: number;
  /** In the ledger more than once, or the holding moved by other than the ledger's writes. */
  readonly writesDoubled: number;
  /** Views of the totals compared with a full revaluation of the ledger (live streams, API, cache). */
  readonly totalsChecked: number;
  /** Of those, how many differed, and which. */
  readonly totalsWrong: number;
  readonly wrongViews: readonly string[];
  /** Live events that repeated or went back (a sequence not above the one before), or a stream ended. */
  readonly subscriberGaps: number;
  /** Times a live stream was interrupted and resumed by its client (with its last event id). */
  readonly subscriberResumes: number;
  readonly requests: RequestCounts;
  /** From the fault's end to the server's doing everything again by itself; null when it did not. */
  readonly recoverMs: number | null;
  /** The server process exited (crashed) during the test. */
  readonly serverExited: boolean;
  readonly passed: boolean;
  readonly at: string;
}

/** A hostile-input test: how many hostile requests it sent and how they were answered. */
export interface HostileInputRow {
  readonly kind: 'hostile-input';
  readonly id: string;
  /** What was sent, for the table. */
  readonly input: string;
  readonly requests: number;
  /** Answered with a typed 4xx. */
  readonly refused: number;
  /** Answered 2xx (input ignored or harmless; the database fingerprint proves nothing was written). */
  readonly accepted: number;
  readonly serverErrors: number;
  readonly databaseChanged: boolean;
  readonly passed: boolean;
  readonly at: string;
}

export type ReliabilityRow = FaultRow | HostileInputRow;

/**
 * Records a hostile-input run from the statuses its requests were answered with (call it once the run's
 * checks have passed: a failing run shows in the test's own failure).
 */
export function recordHostileInput(run: {
  readonly id: string;
  readonly input: string;
  readonly statuses: readonly number[];
  readonly databaseChanged: boolean;
}): Promise<void> {
  const { statuses } = run;
  const serverErrors = statuses.filter((s) => s >= 500).length;
  return recordReliabilityRow({
    kind: 'hostile-input',
    id: run.id,
    input: run.input,
    requests: statuses.length,
    refused: statuses.filter((s) => s >= 400 && s < 500).length,
    accepted: statuses.filter((s) => s < 400).length,
    serverErrors,
    databaseChanged: run.databaseChanged,
    passed: serverErrors === 0 && !run.databaseChanged,
    at: new Date().toISOString(),
  });
}

/** Appends a row to the results file. */
export async function recordReliabilityRow(row: ReliabilityRow): Promise<void> {
  await mkdir(dirname(RELIABILITY_RESULTS), { recursive: true });
  await appendFile(RELIABILITY_RESULTS, `${JSON.stringify(row)}\n`);
}

/** Every row of the results file, oldest first (none when there is no file). */
export async function readReliabilityRows(): Promise<ReliabilityRow[]> {
  const text = await readFile(RELIABILITY_RESULTS, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as ReliabilityRow);
}
