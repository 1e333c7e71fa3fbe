import type { FaultRow, HostileInputRow } from '@tickfolio/testing';
import { describe, expect, it } from 'vitest';
import { reliabilityTables, TABLES_BEGIN, TABLES_END, withTables } from './support/reliability-tables';

const fault = (id: string, over: Partial<FaultRow> = {}): FaultRow => ({
  kind: 'fault',
  id,
  fault: `fault ${id}`,
  pricesAcknowledged: 300,
  pricesLost: 0,
  pricesDoubled: 0,
  writesAcknowledged: 15,
  writesLost: 0,
  writesDoubled: 0,
  totalsChecked: 6,
  totalsWrong: 0,
  wrongViews: [],
  subscriberGaps: 0,
  subscriberResumes: 0,
  requests: {
    total: 90,
    ok: 70,
    unavailable: 20,
    unavailableWithRetryAfter: 20,
    notReady: 5,
    other: {},
    hung: 0,
    failed: 0,
    slowestMs: 1234,
  },
  recoverMs: 1500,
  serverExited: false,
  passed: true,
  at: '2026-12-06T17:00:00.000Z',
  ...over,
});

const hostile: HostileInputRow = {
  kind: 'hostile-input',
  id: 'random-input',
  input: 'random input at every procedure',
  requests: 600,
  refused: 590,
  accepted: 10,
  serverErrors: 0,
  databaseChanged: false,
  passed: true,
  at: '2026-12-06T17:00:00.000Z',
};

describe('reliability tables', () => {
  it('keep the newest row of each test, engines and faults in a fixed order', () => {
    const tables = reliabilityTables([
      fault('nats-kill'),
      fault('postgres-blackhole'),
      fault('postgres-kill', { pricesLost: 3, passed: false, recoverMs: null, serverExited: true }),
      fault('postgres-kill'),
      hostile,
    ]);
    const faultLines = tables.split('\n').filter((l) => /^\| fault [a-z]/.test(l));
    expect(faultLines.map((l) => l.split(' | ')[0])).toEqual([
      '| fault postgres-kill',
      '| fault postgres-blackhole',
      '| fault nats-kill',
    ]);
    expect(faultLines[0]).toContain('| 1.5 s | pass |');
    expect(tables).toContain(
      '| random input at every procedure | 600 | 590 | 10 | 0 | no | pass | 2026-12-06 |',
    );
  });

  it('make what went wrong stand out', () => {
    const tables = reliabilityTables([
      fault('redis-reset', {
        totalsWrong: 1,
        wrongViews: ['cached entry of investor'],
        requests: { ...fault('x').requests, hung: 2, other: { 500: 4 } },
        recoverMs: null,
        passed: false,
      }),
      fault('postgres-kill', { pricesLost: 900, recoverMs: null, serverExited: true, passed: false }),
    ]);
    expect(tables).toContain('**1** (cached entry of investor)');
    expect(tables).toContain('**4 × 500**');
    expect(tables).toContain('**2 hung**');
    expect(tables).toContain('**not within 30 s** | **fail**');
    // Without a server, what the checks found says nothing about the fault.
    expect(tables).toContain('| not checked: the server exited | not checked: the server exited |');
    expect(tables).toContain('**never: the server exited** | **fail**');
    expect(tables).not.toContain('900');
  });

  it('replace only what lies between the markers', () => {
    const doc = `# Reliability\n\nintro\n\n${TABLES_BEGIN}\n\nold\n\n${TABLES_END}\n\nafter\n`;
    expect(withTables(doc, 'new')).toBe(
      `# Reliability\n\nintro\n\n${TABLES_BEGIN}\n\nnew\n\n${TABLES_END}\n\nafter\n`,
    );
    expect(() => withTables('# no markers', 'new')).toThrow(/markers/);
  });
});
