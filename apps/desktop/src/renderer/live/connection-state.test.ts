import { describe, expect, it } from 'vitest';
import { formatAge } from '../format/age';
import {
  connectionView,
  INITIAL_FACTS,
  nextFacts,
  OFFLINE_AFTER_MS,
  type SocketEvent,
} from './connection-state';

function play(events: [SocketEvent, number][]) {
  return events.reduce((facts, [event, at]) => nextFacts(facts, event, at), INITIAL_FACTS);
}

describe('connection state', () => {
  it('is connecting before the socket first opens, then live with the newest event age', () => {
    expect(connectionView(INITIAL_FACTS, 0)).toMatchObject({ state: 'reconnecting', label: 'connecting' });
    const facts = play([
      [{ type: 'open' }, 100],
      [{ type: 'event' }, 1_000],
    ]);
    expect(connectionView(facts, 4_500)).toMatchObject({ state: 'live', label: 'live · 3s' });
  });

  it('goes to reconnecting when the socket closes and back to live when it opens', () => {
    const lost = play([
      [{ type: 'open' }, 0],
      [{ type: 'event' }, 10],
      [{ type: 'close' }, 1_000],
    ]);
    expect(connectionView(lost, 2_000).state).toBe('reconnecting');
    // Later failed attempts do not move the outage's start.
    const stillLost = nextFacts(lost, { type: 'close' }, 5_000);
    expect(stillLost.failingSince).toBe(1_000);
    expect(connectionView(nextFacts(stillLost, { type: 'open' }, 6_000), 6_000).state).toBe('live');
  });

  it('is live again only when every socket that closed has opened again', () => {
    const lost = play([
      [{ type: 'open' }, 0],
      [{ type: 'open', socket: 'book' }, 5],
      [{ type: 'close', socket: 'book' }, 1_000],
      [{ type: 'close' }, 1_001],
    ]);
    expect(connectionView(lost, 2_000).state).toBe('reconnecting');
    const mainBack = nextFacts(lost, { type: 'open' }, 3_000);
    expect(connectionView(mainBack, 3_000).state).toBe('reconnecting');
    expect(mainBack.failingSince).toBe(1_000);
    const bothBack = nextFacts(mainBack, { type: 'open', socket: 'book' }, 3_500);
    expect(connectionView(bothBack, 3_500).state).toBe('live');
    // The book's socket alone dropping is an outage too.
    expect(connectionView(nextFacts(bothBack, { type: 'close', socket: 'book' }, 4_000), 4_000).state).toBe(
      'reconnecting',
    );
  });

  it('shows a long outage as offline while still retrying', () => {
    const lost = play([
      [{ type: 'open' }, 0],
      [{ type: 'close' }, 1_000],
    ]);
    expect(connectionView(lost, 1_000 + OFFLINE_AFTER_MS - 1).state).toBe('reconnecting');
    const view = connectionView(lost, 1_000 + OFFLINE_AFTER_MS);
    expect(view.state).toBe('offline');
    expect(view.detail).toContain('still retrying');
  });

  it('is offline when the browser is, and when the session ended', () => {
    const open = play([[{ type: 'open' }, 0]]);
    expect(connectionView(nextFacts(open, { type: 'network', online: false }, 1), 2).state).toBe('offline');
    const ended = connectionView(nextFacts(open, { type: 'session-ended' }, 1), 2);
    expect(ended).toMatchObject({ state: 'offline', label: 'signed out' });
  });
});

describe('ages', () => {
  it('rounds down to whole units', () => {
    expect([999, 1_000, 59_999, 60_000, 3_600_000, 172_800_000].map(formatAge)).toEqual([
      'now',
      '1s',
      '59s',
      '1m',
      '1h',
      '2d',
    ]);
  });
});
