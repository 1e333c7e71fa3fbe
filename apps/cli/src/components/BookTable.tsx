import { signed, signOf } from '../format/decimal';
import type { BookRow } from '../live/book-dashboard';
import { type Cell, type Column, Table } from './Table';
import { toneOfSign } from './theme';

const COLUMNS: readonly Column[] = [
  { header: 'Client' },
  { header: 'Email' },
  { header: 'Value', align: 'right' },
  { header: 'Ccy' },
  { header: 'Day', align: 'right' },
  { header: 'Day %', align: 'right' },
  { header: 'Gain', align: 'right' },
];

/** An advisor's clients with their totals, each in the client's base currency. */
export function BookTable({
  rows,
  flashOf = () => undefined,
}: {
  rows: readonly BookRow[];
  flashOf?: (clientId: string, field: 'marketValue' | 'dayChange') => 'up' | 'down' | undefined;
}) {
  const cells = rows.map((r): Cell[] => {
    const day = toneOfSign(signOf(r.dayChange));
    return [
      { text: r.displayName, tone: 'accent' },
      { text: r.email, tone: 'muted' },
      { text: r.marketValue ?? 'not valued', flash: flashOf(r.clientId, 'marketValue') },
      { text: r.currency, tone: 'muted' },
      {
        text: r.dayChange === null ? '' : signed(r.dayChange),
        tone: day,
        flash: flashOf(r.clientId, 'dayChange'),
      },
      { text: r.dayChangePercent === null ? '' : signed(r.dayChangePercent), tone: day },
      {
        text: r.unrealizedGain === null ? '' : signed(r.unrealizedGain),
        tone: toneOfSign(signOf(r.unrealizedGain)),
      },
    ];
  });
  return <Table columns={COLUMNS} rows={cells} empty="No clients are assigned to you." />;
}
