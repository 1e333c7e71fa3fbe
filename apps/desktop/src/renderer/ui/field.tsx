import type { InputHTMLAttributes, ReactNode } from 'react';

/**
 * Labelled form fields: the label wraps its control, so the control is named by the label's text
 * (what screen readers announce and axe checks) without ids to keep unique.
 */

/** What a decimal amount field accepts: the API's plain decimals, up to 8 places, no sign or exponent. */
export const DECIMAL_INPUT = { inputMode: 'decimal', pattern: '\\d+(\\.\\d{1,8})?' } as const;

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>;

/** A text input with its label; every other attribute goes to the input. */
export function TextField(
  props: InputProps & { label: ReactNode; value: string; onChange(value: string): void },
) {
  const { label, onChange, ...input } = props;
  return (
    <label>
      {label}
      <input {...input} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

/** A choice among fixed options, with its label. */
export function SelectField<T extends string>(props: {
  label: ReactNode;
  value: T;
  options: readonly { readonly value: T; readonly text: string }[];
  onChange(value: T): void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value as T)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Why a form's last submission failed, announced as it appears; nothing while there is no failure. */
export function FormError(props: { message: string | null }) {
  if (!props.message) return null;
  return (
    <p className="error" role="alert">
      {props.message}
    </p>
  );
}
