import type { FxQuote, PriceQuote } from '@tickfolio/core';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { constraintViolation, type Db, heldPrices } from '../src';
import { databaseForBlock, engines } from './engines';
import { newInstrument } from './fixtures';

const reference = { price: '4.18', asOf: '2026-11-25T10:00:00.000Z' };

function quote(instrumentId: string, price: string, asOf = '2026-11-25T11:00:00.000Z'): PriceQuote {
  return { instrument: { instrumentId }, price, currency: 'USD', asOf, source: 'acme', kind: 'trade' };
}

const usdEur = (rate: string, asOf = '2026-11-25T11:00:00.000Z'): FxQuote => ({
  base: 'USD',
  quote: 'EUR',
  rate,
  asOf,
  source: 'acme',
});

describe.each(engines)('held prices on $name', (engine) => {
  let db: Db;
  databaseForBlock(engine, (opened) => {
    db = opened;
  });

  it('keeps a held quote exactly as it arrived, and reads it back as the quote to publish', async () => {
    const instrument = await newInstrument(db);
    const q = { ...quote(instrument.id, '4180.12345678'), previousClose: '4.17' };
    const { held, superseded } = await heldPrices.holdPrice(db, {
      kind: 'price',
      quote: q,
      reference,
      reason: 'moved',
    });
    expect(superseded).toBeUndefined();
    expect(held).toMatchObject({ kind: 'price', quote: q, reference, reason: 'moved', status: 'held' });
    expect(held.resolution).toBeNull();
    expect(await heldPrices.findHold(db, held.id)).toEqual(held);
  });

  it('keeps one open hold per instrument and per pair: a newer one supersedes it', async () => {
    const instrument = await newInstrument(db);
    const first = await heldPrices.holdPrice(db, {
      kind: 'price',
      quote: quote(instrument.id, '4180'),
      reference,
      reason: 'r',
    });
    const second = await heldPrices.holdPrice(db, {
      kind: 'price',
      quote: quote(instrument.id, '4190', '2026-11-25T11:05:00.000Z'),
      reference,
      reason: 'r',
    });
    expect(second.superseded).toBe(first.held.id);
    expect(await heldPrices.findHold(db, first.held.id)).toMatchObject({
      status: 'superseded',
      resolution: 'superseded',
      resolvedBy: 'acme',
    });
    const fx1 = await heldPrices.holdPrice(db, { kind: 'fx', quote: usdEur('864'), reference, reason: 'r' });
    const fx2 = await heldPrices.holdPrice(db, {
      kind: 'fx',
      quote: usdEur('0.000000000001'),
      reference,
      reason: 'r',
    });
    expect(fx1.held).toMatchObject({ kind: 'fx', quote: usdEur('864') });
    expect(fx2.superseded).toBe(fx1.held.id);
    const open = await heldPrices.listOpenHolds(db);
    expect(open.map((h) => h.id)).toEqual(expect.arrayContaining([second.held.id, fx2.held.id]));
    expect(open.map((h) => h.id)).not.toContain(first.held.id);
    expect(open.filter((h) => h.kind === 'fx')).toHaveLength(1);
  });

  it('ends a hold once: a second release or reject finds nothing', async () => {
    const instrument = await newInstrument(db);
    const { held } = await heldPrices.holdPrice(db, {
      kind: 'price',
      quote: quote(instrument.id, '4180'),
      reference,
      reason: 'r',
    });
    const released = await heldPrices.resolveHold(db, held.id, {
      status: 'released',
      resolution: 'confirmed',
      resolvedBy: 'beta',
    });
    expect(released).toMatchObject({
      id: held.id,
      status: 'released',
      resolution: 'confirmed',
      resolvedBy: 'beta',
    });
    expect(released?.resolvedAt).not.toBeNull();
    expect(
      await heldPrices.resolveHold(db, held.id, { status: 'rejected', resolution: 'admin', resolvedBy: 'x' }),
    ).toBeUndefined();
    expect((await heldPrices.findHold(db, held.id))?.status).toBe('released');
    expect(await heldPrices.countHolds(db, 'released')).toBeGreaterThanOrEqual(1);
    const listed = await heldPrices.listHolds(db, { status: 'released', limit: 10 });
    expect(listed.map((h) => h.id)).toContain(held.id);
  });

  it('refuses rows of the wrong shape', async () => {
    const instrument = await newInstrument(db);
    const insert = (values: Record<string, unknown>) =>
      db
        .insertInto('held_prices')
        .values({
          kind: 'price',
          instrument_id: instrument.id,
          currency: 'USD',
          price_kind: 'trade',
          price: '1',
          as_of: new Date(),
          source: 's',
          reference_price: '1',
          reference_as_of: new Date(),
          reason: 'r',
          ...values,
        })
        .execute()
        .catch((e: unknown) => e);
    // A price with 12 places, an FX hold naming an instrument, a resolved hold without a resolution.
    expect(constraintViolation(await insert({ price: '1.000000000001' }))?.kind).toBe('check');
    expect(constraintViolation(await insert({ kind: 'fx', base: 'USD', quote: 'EUR' }))?.kind).toBe('check');
    expect(constraintViolation(await insert({ status: 'released' }))?.kind).toBe('check');
    expect(constraintViolation(await insert({ price: '0' }))?.kind).toBe('check');
  });

  it('leaves one open hold when holders race', async () => {
    const instrument = await newInstrument(db);
    const prices = Array.from({ length: 12 }, (_, i) => String(4180 + i));
    await Promise.all(
      prices.map((p) =>
        heldPrices.holdPrice(db, { kind: 'price', quote: quote(instrument.id, p), reference, reason: 'r' }),
      ),
    );
    const { rows } = await sql<{ status: string; n: string }>`
      select status, count(*)::text as n from held_prices where instrument_id = ${instrument.id} group by status
    `.execute(db);
    expect(Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))).toEqual({ held: 1, superseded: 11 });
  });
});
