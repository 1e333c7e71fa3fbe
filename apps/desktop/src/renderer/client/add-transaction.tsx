import { TRPCClientError } from '@trpc/client';
import { type FormEvent, useState } from 'react';
import type { TransactionInput } from '../api/types';
import { useDesk } from '../desk-context';
import { DECIMAL_INPUT, FormError, SelectField, TextField } from '../ui/field';
import { AccountField, type ClientAccount } from './account-field';

const KINDS = ['buy', 'sell', 'dividend', 'deposit', 'withdrawal', 'fee'] as const;
type Kind = (typeof KINDS)[number];

const TRADES: readonly Kind[] = ['buy', 'sell'];
const NEEDS_INSTRUMENT: readonly Kind[] = ['buy', 'sell', 'dividend'];

/**
 * Records a transaction for the client (the API lets an advisor write to assigned clients' accounts).
 * Amounts go to the server exactly as typed, as decimal strings; the server checks them and answers a
 * refusal (an oversell, a closed account) with its reason, shown here.
 */
export function AddTransaction(props: {
  accounts: readonly ClientAccount[];
  holdings: readonly { instrumentId: string; symbol: string; name: string; localCurrency: string }[];
  onDone(added: boolean): void;
}) {
  const { api } = useDesk();
  const [kind, setKind] = useState<Kind>('buy');
  const [accountId, setAccountId] = useState(props.accounts[0]?.accountId ?? '');
  const [symbol, setSymbol] = useState('');
  const [quantity, setQuantity] = useState('');
  const [price, setPrice] = useState('');
  const [amount, setAmount] = useState('');
  const [fee, setFee] = useState('');
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const account = props.accounts.find((a) => a.accountId === accountId);

  async function findInstrument(text: string) {
    const held = props.holdings.find((h) => h.symbol.toLowerCase() === text.trim().toLowerCase());
    if (held) return { id: held.instrumentId, currency: held.localCurrency };
    const found = await api.instruments.search.query({ query: text.trim(), limit: 5 });
    const exact = found.find((i) => i.symbol.toLowerCase() === text.trim().toLowerCase()) ?? found[0];
    if (!exact) throw new Error(`No instrument matches “${text}”.`);
    return { id: exact.id, currency: exact.currency };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!account) return;
    setBusy(true);
    setError(null);
    try {
      const base = { accountId, tradeDate: date, idempotencyKey: crypto.randomUUID() };
      let input: TransactionInput;
      if (NEEDS_INSTRUMENT.includes(kind)) {
        const instrument = await findInstrument(symbol);
        input = TRADES.includes(kind)
          ? {
              ...base,
              type: kind,
              instrumentId: instrument.id,
              quantity: quantity.trim(),
              price: price.trim(),
              currency: instrument.currency as TransactionInput['currency'],
              ...(fee.trim() ? { fee: fee.trim() } : {}),
            }
          : {
              ...base,
              type: kind,
              instrumentId: instrument.id,
              amount: amount.trim(),
              currency: instrument.currency as TransactionInput['currency'],
            };
      } else {
        input = {
          ...base,
          type: kind,
          amount: amount.trim(),
          currency: account.currency as TransactionInput['currency'],
        };
      }
      await api.transactions.add.mutate(input);
      props.onDone(true);
    } catch (failure) {
      const reason =
        failure instanceof TRPCClientError
          ? (failure.data as { reason?: string } | undefined)?.reason
          : undefined;
      setError(
        reason ? `Refused: ${reason.replaceAll('_', ' ').toLowerCase()}.` : (failure as Error).message,
      );
      setBusy(false);
    }
  }

  return (
    <form
      className="panel add-tx"
      onSubmit={submit}
      aria-label="Add transaction"
      data-testid="add-transaction"
    >
      <h2>Add transaction</h2>
      <div className="form-row">
        <SelectField<Kind>
          label="Type"
          value={kind}
          onChange={setKind}
          options={KINDS.map((k) => ({ value: k, text: k }))}
        />
        <AccountField accounts={props.accounts} value={accountId} onChange={setAccountId} />
        <TextField label="Trade date" type="date" value={date} onChange={setDate} required />
        {NEEDS_INSTRUMENT.includes(kind) && (
          <>
            <TextField label="Symbol" value={symbol} onChange={setSymbol} list="held-symbols" required />
            <datalist id="held-symbols">
              {props.holdings.map((h) => (
                <option key={h.instrumentId} value={h.symbol}>
                  {h.name}
                </option>
              ))}
            </datalist>
          </>
        )}
        {TRADES.includes(kind) ? (
          <>
            <TextField label="Quantity" value={quantity} onChange={setQuantity} required {...DECIMAL_INPUT} />
            <TextField label="Price" value={price} onChange={setPrice} required {...DECIMAL_INPUT} />
            <TextField label="Fee" value={fee} onChange={setFee} {...DECIMAL_INPUT} />
          </>
        ) : (
          <TextField label="Amount" value={amount} onChange={setAmount} required {...DECIMAL_INPUT} />
        )}
      </div>
      <FormError message={error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !account}>
          {busy ? 'Recording…' : 'Record'}
        </button>
        <button type="button" className="quiet" onClick={() => props.onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
