import { signOf } from '../format/decimal';
import { formatAmount, formatChange, formatPercent } from '../format/money';
import type { BookRow } from '../live/book-dashboard';
import { type Cell, type Column, Table } from './Table';
import { toneOfSign } from './theme';

/** Narrow terminals lose, in this order: email, day %, gain, day. */
const COLUMNS: readonly Column[] = [
  { header: 'Client', shrinkTo: 12 },
  { header: 'Email', shrinkTo: 12, drop: 5 },
  { header: 'Value', align: 'right' },
  { header: 'Ccy' },
  { header: 'Day', align: 'right', drop: 2 },
  { header: 'Day %', align: 'right', drop: 4 },
  { header: 'Gain', align: 'right', drop: 3 },
];

/** An advisor's clients with their totals, each in the client's base currency (the Ccy column). */
export function BookTable({
  rows,
  flashOf = () => undefined,
  maxRows,
}: {
  rows: readonly BookRow[];
  maxRows?: number;
  flashOf?: (clientId: string, field: 'marketValue' | 'dayChange') => 'up' | 'down' | undefined;
}) {
  const cells = rows.map((r): Cell[] => {
    const day = toneOfSign(signOf(r.dayChange));
    return [
      { text: r.displayName, tone: 'accent' },
      { text: r.email, tone: 'muted' },
      {
        text: r.marketValue === null ? 'not valued' : formatAmount(r.marketValue, r.currency),
        flash: flashOf(r.clientId, 'marketValue'),
      },
      { text: r.currency, tone: 'muted' },
      {
        text: r.dayChange === null ? '' : formatChange(r.dayChange, r.currency),
        tone: day,
        flash: flashOf(r.clientId, 'dayChange'),
      },
      { text: formatPercent(r.dayChangePercent, true), tone: day },
      {
        text: r.unrealizedGain === null ? '' : formatChange(r.unrealizedGain, r.currency),
        tone: toneOfSign(signOf(r.unrealizedGain)),
      },
    ];
  });
  return <Table columns={COLUMNS} rows={cells} empty="No clients are assigned to you." maxRows={maxRows} />;
}
