import { SelectField } from '../ui/field';

/** An account of the client, as the forms that write to one (add a transaction, import a file) list it. */
export interface ClientAccount {
  readonly accountId: string;
  readonly name: string;
  readonly currency: string;
}

/** The account a form writes to, by name and currency. */
export function AccountField(props: {
  accounts: readonly ClientAccount[];
  value: string;
  onChange(accountId: string): void;
}) {
  return (
    <SelectField
      label="Account"
      value={props.value}
      onChange={props.onChange}
      options={props.accounts.map((a) => ({ value: a.accountId, text: `${a.name} (${a.currency})` }))}
    />
  );
}
