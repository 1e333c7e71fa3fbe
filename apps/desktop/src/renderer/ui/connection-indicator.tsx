import { type ConnectionFacts, connectionView } from '../live/connection-state';

/** live / reconnecting / offline, with the age of the newest event; the detail in the tooltip. */
export function ConnectionIndicator(props: { facts: ConnectionFacts; now: number }) {
  const view = connectionView(props.facts, props.now);
  return (
    <output
      className={`connection ${view.state}`}
      data-testid="connection"
      data-state={view.state}
      title={view.detail}
    >
      <span className="dot" aria-hidden="true" />
      {view.label}
    </output>
  );
}

/** A banner under the top bar while the desk is not live, so stale figures are never mistaken for live ones. */
export function ConnectionBanner(props: { facts: ConnectionFacts; now: number }) {
  const view = connectionView(props.facts, props.now);
  // The first connection takes a moment; only a lost one, or none at all, earns a banner.
  if (view.state === 'live' || view.label === 'connecting') return null;
  return (
    <div className={`banner ${view.state}`} role="status">
      {view.detail}
    </div>
  );
}
