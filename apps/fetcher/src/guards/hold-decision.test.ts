import { PRICE_SCALE } from '@tickfolio/core';
import { describe, expect, it } from 'vitest';
import { type Channel, decideHold, type HoldQuestion, type OpenHold } from './hold-decision';
import type { GuardVerdict, Jump } from './quote-guard';

const jump: Jump = {
  fromPrice: '4.18',
  fromAsOf: '2026-11-25T10:00:00.000Z',
  basisPoints: 9_990_000n,
  limitPercent: 20,
  detail: 'moved',
};
const JUMP: GuardVerdict = { outcome: 'jump', jump };
const PASS: GuardVerdict = { outcome: 'pass' };
const held: OpenHold = { id: 'h1', source: 'acme', asOf: '2026-11-25T11:00:00.000Z', price: '4180' };

/** Agrees when within 20 % of the reference, as the guard's default limit would say. */
function question(
  verdict: GuardVerdict,
  price: string,
  extra: {
    source?: string;
    asOf?: string;
    via?: Channel;
    open?: OpenHold | undefined;
    refreshConfirms?: boolean;
  } = {},
): HoldQuestion {
  return {
    verdict,
    price,
    scale: PRICE_SCALE,
    source: extra.source ?? 'acme',
    asOf: extra.asOf ?? '2026-11-25T11:05:00.000Z',
    open: 'open' in extra ? extra.open : held,
    via: extra.via ?? 'push',
    refreshConfirms: extra.refreshConfirms ?? true,
    agrees: (reference) => Math.abs(Number(price) / Number(reference) - 1) <= 0.2,
  };
}

describe('decideHold', () => {
  it('holds a jump when nothing is held, and refuses what the guard refused whatever is held', () => {
    expect(decideHold(question(JUMP, '4180', { open: undefined }))).toEqual({
      action: 'hold',
      jump,
      supersedes: undefined,
    });
    const refused: GuardVerdict = { outcome: 'refused', reason: 'below_minimum', detail: 'tiny' };
    expect(decideHold(question(refused, '0.00000001'))).toEqual({
      action: 'refuse',
      reason: 'below_minimum',
      detail: 'tiny',
    });
  });

  it('confirms a held price by another source that agrees with it', () => {
    expect(decideHold(question(JUMP, '4175', { source: 'beta' }))).toEqual({ action: 'confirm', hold: held });
    // Even one dated before the held quote: the other source saw the new level too.
    expect(decideHold(question(JUMP, '4175', { source: 'beta', asOf: '2026-11-25T10:30:00.000Z' }))).toEqual({
      action: 'confirm',
      hold: held,
    });
  });

  it('does not take a second push of the same source as confirmation', () => {
    expect(decideHold(question(JUMP, '4181'))).toEqual({ action: 'hold', jump, supersedes: held });
    // The very same quote again is held already: nothing to do.
    expect(decideHold(question(JUMP, '4180.00', { asOf: held.asOf }))).toEqual({
      action: 'already_held',
      hold: held,
    });
  });

  it('takes the next full refresh of the same source as confirmation unless configured not to', () => {
    expect(decideHold(question(JUMP, '4180', { via: 'refresh' }))).toEqual({ action: 'confirm', hold: held });
    expect(decideHold(question(JUMP, '4180', { via: 'refresh', refreshConfirms: false }))).toMatchObject({
      action: 'hold',
      supersedes: held,
    });
  });

  it('supersedes the held price with a jump that does not agree with it', () => {
    expect(decideHold(question(JUMP, '41.8', { source: 'beta' }))).toEqual({
      action: 'hold',
      jump,
      supersedes: held,
    });
  });

  it('publishes a price consistent with the accepted level, rejecting the hold when at least as new', () => {
    expect(decideHold(question(PASS, '4.19'))).toEqual({ action: 'publish', contradicts: held });
    expect(decideHold(question(PASS, '4.19', { asOf: held.asOf }))).toEqual({
      action: 'publish',
      contradicts: held,
    });
    // An older price says nothing about the held one's instant.
    expect(decideHold(question(PASS, '4.19', { asOf: '2026-11-25T10:59:00.000Z' }))).toEqual({
      action: 'publish',
      contradicts: undefined,
    });
    expect(decideHold(question(PASS, '4.19', { open: undefined }))).toEqual({
      action: 'publish',
      contradicts: undefined,
    });
  });
});
