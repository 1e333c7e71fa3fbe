import { formatAmount, formatPercent, signOf } from '../format/decimal-text';

/** An amount, right-aligned with its currency code, coloured by sign when it is a change. */
export function Money(props: { amount: string | null; currency: string; change?: boolean; testId?: string }) {
  const { amount, currency, change = false } = props;
  if (amount === null) return <span className="num muted">–</span>;
  const sign = change ? signOf(amount) : 0;
  return (
    <span className={`num ${sign > 0 ? 'up' : sign < 0 ? 'down' : ''}`} data-testid={props.testId}>
      {formatAmount(amount, currency, { signed: change })}
      <span className="ccy"> {currency}</span>
    </span>
  );
}

/** A percentage change, signed and coloured. */
export function Percent(props: { value: string | null; signed?: boolean }) {
  const sign = props.signed === false ? 0 : signOf(props.value);
  return (
    <span className={`num ${sign > 0 ? 'up' : sign < 0 ? 'down' : ''}`}>
      {formatPercent(props.value, { signed: props.signed ?? true })}
    </span>
  );
}
