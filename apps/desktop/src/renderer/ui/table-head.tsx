import type { ReactNode } from 'react';

/**
 * The header row of a data table whose text columns come first and its figures after them
 * (right-aligned, as the figures below them are), which is how every table on the desk is laid out.
 */
export function TableHead(props: { text: readonly ReactNode[]; figures?: readonly ReactNode[] }) {
  return (
    <thead>
      <tr>
        {props.text.map((label, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a header's columns are fixed; position is identity.
          <th key={`t${i}`} scope="col">
            {label}
          </th>
        ))}
        {(props.figures ?? []).map((label, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above.
          <th key={`f${i}`} scope="col" className="right">
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
