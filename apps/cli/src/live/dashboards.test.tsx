import { describe, expect, it } from 'vitest';
import { renderPlain } from '../../test/support/ink';
import { holding, TOTALS } from '../../test/support/sample-data';
import { BookDashboard } from '../components/BookDashboard';
import { WatchDashboard } from '../components/WatchDashboard';
import { reduceBookDashboard } from './book-dashboard';
import { describeAge, FLASH_MS, flashOf, initialDashboardState } from './dashboard-state';
import {
  type PortfolioDashboardEvent,
  type PortfolioDashboardState,
  reducePortfolioDashboard,
} from './portfolio-dashboard';

const T0 = Date.parse('2026-11-25T10:00:00Z');
const replay = (events: readonly PortfolioDashboardEvent[]): PortfolioDashboardState =>
  events.reduce(reducePortfolioDashboard, initialDashboardState(T0));

const aapl = holding();
const aaplUp = holding({ price: '191.00', marketValue: '1910.00', dayChange: '30.00' });
const aaplDown = holding({ price: '189.99', marketValue: '1899.90', dayChange: '19.90' });

describe('the dashboard reducer', () => {
  it('goes connecting → live, takes snapshots, and remembers the last event id', () => {
    const state = replay([
      { type: 'connection', at: T0, state: 'connecting' },
      { type: 'connection', at: T0 + 10, state: 'live' },
      { type: 'snapshot', at: T0 + 20, eventId: '41', totals: TOTALS, rows: [aapl] },
    ]);
    expect(state).toMatchObject({
      connection: 'live',
      lastUpdateAt: T0 + 20,
      lastEventId: '41',
      reconnects: 0,
    });
    expect(state.flashes).toEqual({}); // a first snapshot moves nothing
  });

  it('flashes a value up or down when it changes, and lets the flash fade', () => {
    const up = replay([
      { type: 'snapshot', at: T0, totals: TOTALS, rows: [aapl] },
      { type: 'snapshot', at: T0 + 1000, totals: { ...TOTALS, marketValue: '12350.67' }, rows: [aaplUp] },
    ]);
    expect(flashOf(up, 'acc-1/ins-aapl:price')).toBe('up');
    expect(flashOf(up, 'acc-1/ins-aapl:marketValue')).toBe('up');
    expect(flashOf(up, 'totals:marketValue')).toBe('up');
    expect(flashOf(up, 'totals:dayChange')).toBeUndefined();

    const down = reducePortfolioDashboard(up, {
      type: 'snapshot',
      at: T0 + 1200,
      totals: TOTALS,
      rows: [aaplDown],
    });
    expect(flashOf(down, 'acc-1/ins-aapl:price')).toBe('down');
    expect(flashOf(down, 'totals:marketValue')).toBe('down');

    const faded = reducePortfolioDashboard(down, { type: 'tick', at: T0 + 1200 + FLASH_MS });
    expect(faded.flashes).toEqual({});
  });

  it('compares amounts exactly, whatever their number of places', () => {
    const state = replay([
      { type: 'snapshot', at: T0, totals: TOTALS, rows: [holding({ price: '0.1' })] },
      { type: 'snapshot', at: T0 + 1, totals: TOTALS, rows: [holding({ price: '0.10000001' })] },
    ]);
    expect(flashOf(state, 'acc-1/ins-aapl:price')).toBe('up');
    const same = reducePortfolioDashboard(state, {
      type: 'snapshot',
      at: T0 + 2,
      totals: TOTALS,
      rows: [holding({ price: '0.100000010' })],
    });
    expect(flashOf(same, 'acc-1/ins-aapl:price')).toBe('up'); // still the earlier flash, not a new one
    expect(same.flashes['acc-1/ins-aapl:price']!.until).toBe(T0 + 1 + FLASH_MS);
  });

  it('counts a drop after being live as a reconnect, and keeps the reason while down', () => {
    const state = replay([
      { type: 'connection', at: T0, state: 'live' },
      { type: 'connection', at: T0 + 5, state: 'reconnecting', error: 'socket hang up' },
    ]);
    expect(state).toMatchObject({
      connection: 'reconnecting',
      reconnects: 1,
      connectionError: 'socket hang up',
    });
    const back = reducePortfolioDashboard(state, { type: 'connection', at: T0 + 9, state: 'live' });
    expect(back).toMatchObject({ connection: 'live', reconnects: 1, connectionError: null });
  });

  it('describes the age of the last update', () => {
    expect(describeAge(null, T0)).toBe('no data yet');
    expect(describeAge(T0, T0 + 1500)).toBe('just now');
    expect(describeAge(T0, T0 + 12_000)).toBe('12s ago');
    expect(describeAge(T0, T0 + 180_000)).toBe('3m ago');
  });
});

describe('a notification while watching', () => {
  it('is kept as the newest alert and drawn under the totals', () => {
    const state = replay([
      { type: 'snapshot', at: T0, totals: TOTALS, rows: [aapl] },
      { type: 'notification', at: T0 + 1000, id: 'n1', message: 'Portfolio fell 3.10% since the open' },
      { type: 'notification', at: T0 + 2000, id: 'n2', message: 'AAPL rose 5.00% today (alert at 5%)' },
    ]);
    expect(state.notice).toEqual({ at: T0 + 2000, message: 'AAPL rose 5.00% today (alert at 5%)' });
    expect(state.totals).toEqual(TOTALS);
    const frame = renderPlain(<WatchDashboard title="Portfolio" state={state} />).lastFrame()!;
    expect(frame).toMatch(/Alert .*AAPL rose 5\.00% today \(alert at 5%\)/);
    expect(frame).not.toContain('Portfolio fell');
    expect(frame).toMatch(/AAPL .* 190\.50/);
  });
});

describe('WatchDashboard frames', () => {
  it('waits, goes live, shows values, flashes a rise and a fall, ages, and shows a reconnect', () => {
    const events: PortfolioDashboardEvent[] = [
      { type: 'connection', at: T0, state: 'connecting' },
      { type: 'connection', at: T0 + 50, state: 'live' },
      { type: 'snapshot', at: T0 + 100, eventId: '7', totals: TOTALS, rows: [aapl] },
      {
        type: 'snapshot',
        at: T0 + 2000,
        eventId: '8',
        totals: { ...TOTALS, marketValue: '12350.67' },
        rows: [aaplUp],
      },
      { type: 'tick', at: T0 + 2000 + FLASH_MS + 10 },
      { type: 'snapshot', at: T0 + 5000, eventId: '9', totals: TOTALS, rows: [aaplDown] },
      { type: 'tick', at: T0 + 17_000 },
      { type: 'connection', at: T0 + 17_100, state: 'reconnecting', error: 'fetch failed' },
    ];
    let state = initialDashboardState<typeof TOTALS, typeof aapl>(T0) as PortfolioDashboardState;
    const view = renderPlain(<WatchDashboard title="Portfolio" state={state} />);
    const frames: string[] = [view.lastFrame()!];
    for (const event of events) {
      state = reducePortfolioDashboard(state, event);
      view.rerender(<WatchDashboard title="Portfolio" state={state} />);
      frames.push(view.lastFrame()!);
    }
    expect(frames[0]).toContain('◌ connecting');
    expect(frames[0]).toContain('Waiting for the first valuation');
    expect(frames[2]).toContain('● live');
    expect(frames[3]).toContain('Value 12,345.67 USD');
    expect(frames[3]).toMatch(/AAPL .* 190\.50 .* 1,905\.00/);
    expect(frames[4]).toContain('Value ▲12,350.67 USD');
    expect(frames[4]).toMatch(/AAPL .* ▲191\.00 .* ▲1,910\.00 .* ▲\+30\.00/);
    expect(frames[5]).not.toMatch(/[▲▼]/); // the flash has faded
    expect(frames[6]).toMatch(/AAPL .* ▼189\.99 .* ▼1,899\.90/);
    expect(frames[6]).toContain('Value ▼12,345.67 USD');
    expect(frames[7]).toContain('updated 12s ago');
    expect(frames[8]).toContain('◌ reconnecting');
    expect(frames[8]).toContain('1 reconnect');
    expect(frames[8]).toContain('fetch failed');
    expect(frames[8]).toContain('Value 12,345.67 USD'); // the last values stay on screen
  });
});

describe('BookDashboard frames', () => {
  it('shows each client and flashes the one whose value moved', () => {
    const client = (id: string, name: string, value: string | null) => ({
      clientId: id,
      displayName: name,
      email: `${id}@example.com`,
      currency: 'EUR',
      marketValue: value,
      dayChange: value === null ? null : '1.00',
      dayChangePercent: null,
      unrealizedGain: null,
      asOf: null,
    });
    let state = reduceBookDashboard(initialDashboardState(T0), {
      type: 'snapshot',
      at: T0,
      totals: { clients: 2 },
      rows: [client('c1', 'Ada', '100.00'), client('c2', 'Ben', null)],
    });
    const view = renderPlain(<BookDashboard state={state} />);
    expect(view.lastFrame()).toContain('2 assigned');
    expect(view.lastFrame()).toMatch(/Ben .* not valued/);
    state = reduceBookDashboard(state, {
      type: 'snapshot',
      at: T0 + 10,
      totals: { clients: 2 },
      rows: [client('c1', 'Ada', '99.50'), client('c2', 'Ben', null)],
    });
    view.rerender(<BookDashboard state={state} />);
    expect(view.lastFrame()).toMatch(/Ada .* ▼99\.50/);
  });
});
