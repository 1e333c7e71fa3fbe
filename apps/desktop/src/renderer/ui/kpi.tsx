import type { ReactNode } from 'react';

/** One headline figure under its small caption, right-aligned, as in a client's header. */
export function Kpi(props: { label: string; children: ReactNode; big?: boolean; testId?: string }) {
  return (
    <div className="kpi">
      <span className="label">{props.label}</span>
      <span className={props.big ? 'big' : undefined} data-testid={props.testId}>
        {props.children}
      </span>
    </div>
  );
}
