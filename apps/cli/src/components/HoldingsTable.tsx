import type { Holding } from '../api/types';
import { signed, signOf } from '../format/decimal';
import { holdingKey } from '../live/portfolio-dashboard';
import { type Cell, type Column, Table } from './Table';
import { toneOfSign } from './theme';

/** Which cells of which holding just moved (keys: holdingKey(h)). */
export type HoldingFlashes = Readonly<
  Record<string, Partial<Record<'price' | 'marketValue' | 'dayChange', 'up' | 'down'>>>
>;

const COLUMNS: readonly Column[] = [
  { header: 'Symbol' },
  { header: 'Account' },
  { header: 'Quantity', align: 'right' },
  { header: 'Price', align: 'right' },
  { header: 'Ccy' },
  { header: 'Value', align: 'right' },
  { header: 'Day', align: 'right' },
  { header: 'Day %', align: 'right' },
  { header: 'Gain', align: 'right' },
  { header: 'Weight %', align: 'right' },
];

/** Valued holdings; value, day change and gain in the portfolio's base currency. */
export function HoldingsTable({
  holdings,
  flashes = {},
}: {
  holdings: readonly Holding[];
  flashes?: HoldingFlashes;
}) {
  const rows = holdings.map((h): Cell[] => {
    const flash = flashes[holdingKey(h)] ?? {};
    const day = toneOfSign(signOf(h.dayChange));
    return [
      { text: h.symbol, tone: 'accent' },
      { text: h.accountName },
      { text: h.quantity },
      { text: h.price ?? '—', flash: flash.price, tone: h.price === null ? 'warn' : undefined },
      { text: h.localCurrency, tone: 'muted' },
      { text: h.marketValue, flash: flash.marketValue },
      { text: signed(h.dayChange), tone: day, flash: flash.dayChange },
      { text: h.dayChangePercent === null ? '' : signed(h.dayChangePercent), tone: day },
      { text: signed(h.unrealizedGain), tone: toneOfSign(signOf(h.unrealizedGain)) },
      { text: h.weightPercent },
    ];
  });
  return <Table columns={COLUMNS} rows={rows} empty="No holdings yet." />;
}
