import type { ClientOverview } from '../api/types';
import { formatPercent } from '../format/decimal-text';
import { Money } from '../ui/money';

type Slice = { key: string; value: string; weightPercent: string; name?: string };

const ASSET_CLASS_NAMES: Record<string, string> = {
  stock: 'Stocks',
  etf: 'ETFs',
  mutual_fund: 'Mutual funds',
};

function Slices(props: {
  title: string;
  slices: readonly Slice[];
  currency: string;
  label(s: Slice): string;
}) {
  return (
    <div className="alloc-group">
      <h3>{props.title}</h3>
      <table className="alloc">
        <tbody>
          {props.slices.map((s) => (
            <tr key={s.key}>
              <th scope="row">{props.label(s)}</th>
              <td className="bar-cell">
                {/* The weight is already a decimal string: the bar's width takes it as text, exactly. */}
                <span className="bar" style={{ width: `${s.weightPercent}%` }} />
              </td>
              <td className="right num">{formatPercent(s.weightPercent, { signed: false })}</td>
              <td className="right">
                <Money amount={s.value} currency={props.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Allocation by asset class, currency and account. */
export function AllocationPanel(props: { allocation: ClientOverview['allocation']; currency: string }) {
  const a = props.allocation;
  return (
    <section className="panel" aria-label="Allocation">
      <h2>Allocation</h2>
      <Slices
        title="Asset class"
        slices={a.byAssetClass}
        currency={props.currency}
        label={(s) => ASSET_CLASS_NAMES[s.key] ?? s.key}
      />
      <Slices title="Currency" slices={a.byCurrency} currency={props.currency} label={(s) => s.key} />
      <Slices title="Account" slices={a.byAccount} currency={props.currency} label={(s) => s.name || s.key} />
    </section>
  );
}
