import type { Holding } from '../api/types';
import { signOf } from '../format/decimal';
import {
  byAmountDescending,
  columnPlaces,
  formatAmount,
  formatChange,
  formatInColumn,
  formatPercent,
  placesFor,
} from '../format/money';
import { holdingKey } from '../live/portfolio-dashboard';
import { type Cell, type Column, Table } from './Table';
import { toneOfSign } from './theme';

/** Which cells of which holding just moved (keys: holdingKey(h)). */
export type HoldingFlashes = Readonly<
  Record<string, Partial<Record<'price' | 'marketValue' | 'dayChange', 'up' | 'down'>>>
>;

/**
 * The columns, with the portfolio's base currency in the headers of the amounts valued in it (a
 * price is in the instrument's own currency, written in its cell). Narrow terminals lose, in this
 * order: weight, day %, quantity, account, price, gain, day.
 */
function columns(currency: string): readonly Column[] {
  const inBase = (header: string) => (currency ? `${header} ${currency}` : header);
  return [
    { header: 'Symbol', shrinkTo: 8 },
    { header: 'Account', shrinkTo: 8, drop: 5 },
    { header: 'Quantity', short: 'Qty', align: 'right', drop: 6 },
    { header: 'Price', align: 'right', drop: 4 },
    { header: inBase('Value'), align: 'right' },
    { header: inBase('Day'), align: 'right', drop: 2 },
    { header: 'Day %', align: 'right', drop: 7 },
    { header: inBase('Gain'), align: 'right', drop: 3 },
    { header: 'Weight %', short: 'Wt %', align: 'right', drop: 8 },
  ];
}

/** Largest holding first. */
const largestFirst = byAmountDescending<Holding>(
  (h) => h.marketValue,
  (h) => `${h.symbol} ${h.accountName}`,
);

/** Valued holdings, largest first; value, day change and gain in the portfolio's base currency. */
export function HoldingsTable({
  holdings,
  flashes = {},
  maxRows,
}: {
  holdings: readonly Holding[];
  flashes?: HoldingFlashes;
  maxRows?: number;
}) {
  const currency = holdings[0]?.currency ?? '';
  const quantityPlaces = columnPlaces(holdings.map((h) => h.quantity));
  const pricePlaces = columnPlaces(
    holdings.map((h) => h.price),
    Math.max(0, ...holdings.map((h) => placesFor(h.localCurrency))),
  );
  const rows = [...holdings].sort(largestFirst).map((h): Cell[] => {
    const flash = flashes[holdingKey(h)] ?? {};
    const day = toneOfSign(signOf(h.dayChange));
    return [
      { text: h.symbol, tone: 'accent' },
      { text: h.accountName },
      { text: formatInColumn(h.quantity, quantityPlaces) },
      h.price === null
        ? { text: `— ${h.localCurrency}`, tone: 'warn' }
        : { text: `${formatInColumn(h.price, pricePlaces)} ${h.localCurrency}`, flash: flash.price },
      { text: formatAmount(h.marketValue, h.currency), flash: flash.marketValue },
      { text: formatChange(h.dayChange, h.currency), tone: day, flash: flash.dayChange },
      { text: formatPercent(h.dayChangePercent, true), tone: day },
      { text: formatChange(h.unrealizedGain, h.currency), tone: toneOfSign(signOf(h.unrealizedGain)) },
      { text: formatPercent(h.weightPercent) },
    ];
  });
  return <Table columns={columns(currency)} rows={rows} empty="No holdings yet." maxRows={maxRows} />;
}
