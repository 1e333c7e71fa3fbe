import { useState } from 'react';
import { useDesk } from '../desk-context';
import { formatAmount, formatPlain } from '../format/decimal-text';
import { TableHead } from '../ui/table-head';
import { describeError, useQuery } from '../ui/use-query';

const PAGE = 20;

const TYPE_NAMES: Record<string, string> = {
  buy: 'Buy',
  sell: 'Sell',
  dividend: 'Dividend',
  split: 'Split',
  fee: 'Fee',
  deposit: 'Deposit',
  withdrawal: 'Withdrawal',
  transfer_in: 'Transfer in',
  transfer_out: 'Transfer out',
  interest: 'Interest',
};

/** The client's ledger, newest first, a page at a time (the API's cursors, kept to page back). */
export function TransactionsPanel(props: {
  ownerId: string;
  symbols: ReadonlyMap<string, string>;
  accounts: ReadonlyMap<string, string>;
  /** Bumped when the ledger changed (a transaction added here): reloads the first page. */
  revision: number;
}) {
  const { api, session } = useDesk();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery(`${props.ownerId}|${cursor ?? ''}|${props.revision}`, () =>
    api.transactions.list.query({ ownerId: props.ownerId, limit: PAGE, ...(cursor ? { cursor } : {}) }),
  );
  const items = page.data?.items ?? [];
  return (
    <section className="panel" aria-label="Transactions">
      <div className="panel-head">
        <h2>Transactions</h2>
        <span className="muted">page {cursors.length}</span>
        <span className="spacer" />
        <button
          type="button"
          className="quiet"
          disabled={cursors.length === 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          ← Newer
        </button>
        <button
          type="button"
          className="quiet"
          disabled={!page.data?.nextCursor}
          onClick={() => setCursors((c) => [...c, page.data!.nextCursor!])}
        >
          Older →
        </button>
      </div>
      {page.error && <p className="error-bar">{describeError(page.error, session.serverUrl)}</p>}
      <table className="data">
        <TableHead
          text={['Date', 'Type', 'Instrument', 'Account']}
          figures={['Quantity', 'Price / amount', 'Fee']}
        />
        <tbody>
          {items.map((tx) => (
            <tr key={tx.id}>
              <td className="num">{tx.tradeDate.slice(0, 10)}</td>
              <td>{TYPE_NAMES[tx.type] ?? tx.type}</td>
              <td>
                {tx.instrumentId ? (props.symbols.get(tx.instrumentId) ?? tx.instrumentId.slice(0, 8)) : '–'}
              </td>
              <td>{props.accounts.get(tx.accountId) ?? '–'}</td>
              <td className="right num">
                {tx.type === 'split'
                  ? `${tx.splitFrom}:${tx.splitTo}`
                  : tx.quantity
                    ? formatPlain(tx.quantity)
                    : '–'}
              </td>
              <td className="right num">
                {tx.price !== null
                  ? `${formatPlain(tx.price)} ${tx.currency}`
                  : tx.amount !== null
                    ? `${formatAmount(tx.amount, tx.currency)} ${tx.currency}`
                    : '–'}
              </td>
              <td className="right num">
                {tx.fee === '0' ? '–' : `${formatAmount(tx.fee, tx.currency)} ${tx.currency}`}
              </td>
            </tr>
          ))}
          {page.data && items.length === 0 && (
            <tr>
              <td colSpan={7} className="empty">
                No transactions.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
